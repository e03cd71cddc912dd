from . import test_security_groups
from . import test_dashboard
from . import test_dashboard_ui
