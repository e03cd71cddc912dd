from . import distribution_dashboard
