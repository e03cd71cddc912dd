"""18.0.1.2.0: "To decide" is an act_window on approval requests where it was the client action
of a hand-made inbox. The loader refuses to turn a record of one model into another under the
same external id, so the client action and its external id go before the data is loaded; the
menu pointing at it is updated to the new action by the same load."""


def migrate(cr, version):
    cr.execute(
        """
        DELETE FROM ir_act_client
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'distribution_governance'
                         AND name = 'action_approvals_inbox'
                         AND model = 'ir.actions.client')
        """
    )
    cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE module = 'distribution_governance'
           AND name = 'action_approvals_inbox'
           AND model = 'ir.actions.client'
        """
    )
