"""阳光公示 and 投诉举报 for the public: every page here is reachable without signing in and shows only what the
law publishes. Sits above every other module and reads them through their selectors."""
