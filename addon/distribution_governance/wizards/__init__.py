from . import exception_resolve_wizard
from . import credit_wizards
