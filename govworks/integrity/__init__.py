"""廉政监督: the risk centre (alerts from every module's signals), cases, 双随机一公开 inspections and the
handling of 投诉举报. Depends on every business module; only the public portal sits above it."""
