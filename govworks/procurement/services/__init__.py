"""Writes of procurement, one module per aggregate. The award check lives with the supplier register and
is re-exported here for the award module."""

from govworks.procurement.services.suppliers import supplier_award_problem, supplier_award_refused_record

__all__ = ["supplier_award_problem", "supplier_award_refused_record"]
