"""Reading payment freezes: the one question finance asks before it commits or pays money, and the one
path that lifts a freeze — 提交赶工计划 → 约谈 → 领导解除 — with the state of each step, which every
screen that mentions a freeze shows the same way (``construction/partials/freeze_path.html``) and every
refusal names (``ReleasePath.text``)."""

from __future__ import annotations

from dataclasses import dataclass

from govworks.construction.models import Interview, PaymentFreeze, RecoveryPlan

#: the three steps, in the order they are taken; the labels are the ones every screen and message uses
STEP_PLAN = "提交赶工计划"
STEP_INTERVIEW = "约谈责任人"
STEP_RELEASE = "分管领导或主要领导解除暂停拨款"
RELEASE_PATH_LABEL = f"{STEP_PLAN} → {STEP_INTERVIEW} → {STEP_RELEASE}"


@dataclass(frozen=True)
class ReleaseStep:
    """One step of the release path: its label, whether it is done, and what was done (or is awaited)."""

    number: int
    label: str
    done: bool
    detail: str


@dataclass(frozen=True)
class ReleasePath:
    """The release path of one freeze with the state of its three steps."""

    freeze: PaymentFreeze
    steps: tuple[ReleaseStep, ...]

    @property
    def next_step(self) -> ReleaseStep | None:
        """The first step not yet done (None when the freeze is released)."""
        return next((s for s in self.steps if not s.done), None)

    @property
    def text(self) -> str:
        """The path in one line, each step with its state, for refusals and gate conditions."""
        states = "；".join(f"{s.number}. {s.label}（{s.detail}）" for s in self.steps)
        return f"解除须依次完成“{RELEASE_PATH_LABEL}”：{states}"


def active_payment_freeze(project_id: int) -> PaymentFreeze | None:
    """The project's payment freeze that is still in force, or None. Call it inside the transaction that
    moves the money (after locking the rows the payment counts against) so a freeze imposed meanwhile is seen."""
    return PaymentFreeze.objects.filter(project_id=project_id, released_at__isnull=True).first()


def freeze_release_path(
    freeze: PaymentFreeze,
    *,
    plans: list[RecoveryPlan] | None = None,
    interviews: list[Interview] | None = None,
) -> ReleasePath:
    """The three steps that lift ``freeze`` with their state: a recovery plan submitted, every interview
    of the freeze held, the release by a leader. ``plans``/``interviews`` may be passed when already
    read (the light tab prefetches them); otherwise two queries."""
    if plans is None:
        plans = list(RecoveryPlan.objects.filter(freeze=freeze).select_related("submitted_by").order_by("submitted_at"))
    if interviews is None:
        interviews = list(Interview.objects.filter(freeze=freeze).select_related("leader").order_by("created_at"))
    plan = plans[-1] if plans else None
    held = [i for i in interviews if i.status == Interview.Status.HELD]
    waiting = [i for i in interviews if i.status != Interview.Status.HELD]
    plan_detail = f"{plan.submitted_by.display_name}已提交，{plan.target_on:%Y-%m-%d}前追回进度" if plan else "未提交"
    if interviews and not waiting:
        last = held[-1]
        interview_detail = f"已于{last.held_on:%Y-%m-%d}约谈{last.interviewees}"
    elif waiting:
        interview_detail = f"待约谈（{waiting[0].leader.display_name}，{waiting[0].due_on:%Y-%m-%d}前）"
    else:
        interview_detail = "尚未发起约谈"
    released_by = freeze.released_by.display_name if freeze.released_by else ""
    release_detail = f"{released_by}已解除" if freeze.released_at is not None else "未解除"
    return ReleasePath(
        freeze,
        (
            ReleaseStep(1, STEP_PLAN, plan is not None, plan_detail),
            ReleaseStep(2, STEP_INTERVIEW, bool(interviews) and not waiting, interview_detail),
            ReleaseStep(3, STEP_RELEASE, freeze.released_at is not None, release_detail),
        ),
    )


def active_release_path(project_id: int) -> ReleasePath | None:
    """The release path of the project's active freeze, or None when the project is not frozen."""
    freeze = PaymentFreeze.objects.filter(project_id=project_id, released_at__isnull=True).select_related("released_by").first()
    return freeze_release_path(freeze) if freeze is not None else None
