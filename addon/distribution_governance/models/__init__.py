from . import distribution_dashboard
from . import distribution_exception_type
from . import distribution_exception
from . import distribution_master_data
from . import sale_order
from . import stock_picking
from . import stock_scrap
