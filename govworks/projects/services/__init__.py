"""Every write of the project lifecycle, one module per aggregate. Import from the submodules."""
