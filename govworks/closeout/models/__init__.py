"""The records of close-out, one module per area; re-exported here so ``govworks.closeout.models.X`` works."""

from govworks.closeout.models.acceptance import Acceptance, AcceptanceParty, AcceptanceProblem, PartyRole  # noqa: F401
from govworks.closeout.models.defects import (  # noqa: F401
    DefectPeriod,
    DefectReport,
    DepositDeduction,
    DepositReturn,
    WageDepositReturn,
)
