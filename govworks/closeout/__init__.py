"""Close-out (竣工收尾): from the contractor's completion declaration to the closed project — acceptance, settlement
audit, final accounts, archives, asset handover, the defect period, performance evaluation and the review (复盘).

Depends on finance and below (import-linter layers); registers with the lower modules through ``core.registry`` and
finance's settlement hook from :class:`CloseoutConfig.ready`."""
