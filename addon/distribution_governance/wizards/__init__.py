from . import exception_resolve_wizard
from . import credit_wizards
from . import exception_assign_wizard
from . import urgent_wizard
from . import floor_resolve_wizard
from . import exception_notice_resolve_wizard
