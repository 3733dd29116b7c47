"""The records of close-out, one module per area; re-exported here so ``govworks.closeout.models.X`` works."""

from govworks.closeout.models.acceptance import Acceptance, AcceptanceParty, AcceptanceProblem, PartyRole  # noqa: F401
from govworks.closeout.models.archives import (  # noqa: F401
    ArchiveCatalogueItem,
    ArchiveCategory,
    ArchiveItem,
    ArchiveRegisterEntry,
    ArchiveTransfer,
    Retention,
)
from govworks.closeout.models.assets import AssetCard, AssetHandover  # noqa: F401
from govworks.closeout.models.defects import (  # noqa: F401
    DefectPeriod,
    DefectReport,
    DepositDeduction,
    DepositReturn,
    WageDepositReturn,
)
from govworks.closeout.models.evaluation import Evaluation, EvaluationIndicator, EvaluationTemplate, TemplateIndicator  # noqa: F401
from govworks.closeout.models.final_accounts import (  # noqa: F401
    FinalAccounts,
    FinalAccountsDocument,
    FinalAccountsExtension,
    FinalCostLine,
    SurplusReturn,
)
from govworks.closeout.models.lessons import Lesson, LessonCategory, ReviewReport  # noqa: F401
from govworks.closeout.models.settlement import AuditFirm, Settlement, SettlementDispute, SettlementDocument, SettlementLine  # noqa: F401
