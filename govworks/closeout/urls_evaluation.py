"""Routes of the performance evaluation and the close (mounted under /closeout/)."""

from govworks.closeout.views import close, evaluation

urlpatterns = [*evaluation.urlpatterns, *close.urlpatterns]
