"""Demo data of the final accounts and asset handover (filled in below)."""


def seed_final_accounts_demo() -> str:
    return "竣工决算演示数据：暂无"
