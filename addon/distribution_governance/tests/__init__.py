from . import test_security_groups
from . import test_dashboard
from . import test_dashboard_ui
from . import test_exception_detection
from . import test_exception_workflow
from . import test_credit_hold
from . import test_exception_ui
from . import test_kpi
