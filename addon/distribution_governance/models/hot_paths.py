"""What the addon asks on Odoo's hot paths (every transfer validated), kept off the database
when the answer rarely changes (issue 17, hot-path overhead)."""

from odoo import api, models, tools


class DistributionExceptionTypeBlocking(models.Model):
    _inherit = "distribution.exception.type"

    @api.model
    @tools.ormcache()
    def _dg_delivery_blocking_ids(self):
        """The ids of the types (archived too) whose open exceptions stop a delivery's
        validation: asked at each validation, and by default there are none. Cached in the
        registry; a type created, deleted or its blocking changed clears the cache (of every
        worker, through the registry's signaling)."""
        return tuple(
            self.sudo().with_context(active_test=False).search([("blocking", "=", "delivery")]).ids
        )

    def _dg_blocking_changed(self):
        self.env.registry.clear_cache()

    @api.model_create_multi
    def create(self, vals_list):
        types = super().create(vals_list)
        self._dg_blocking_changed()
        return types

    def write(self, vals):
        result = super().write(vals)
        if "blocking" in vals:
            self._dg_blocking_changed()
        return result

    def unlink(self):
        result = super().unlink()
        self._dg_blocking_changed()
        return result
