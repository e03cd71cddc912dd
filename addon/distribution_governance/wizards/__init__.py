from . import exception_resolve_wizard
