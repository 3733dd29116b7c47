"""The records of close-out, one module per area; re-exported here so ``govworks.closeout.models.X`` works."""

from govworks.closeout.models.evaluation import Evaluation, EvaluationIndicator, EvaluationTemplate, TemplateIndicator  # noqa: F401
