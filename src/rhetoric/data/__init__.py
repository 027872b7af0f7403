"""Corpus loaders (scikit-learn's ``load_*`` convention, ``data_home=`` or ``$RHETORIC_DATA``) and
evaluation metrics. Nothing is downloaded and no corpus ships with the package.

The loaders, their data model and errors are re-exported here (``from rhetoric.data import
load_ptc``); they read files with the standard library only. The metrics need scikit-learn and
SciPy and are imported from :mod:`rhetoric.data.metrics` when wanted.
"""

from rhetoric.data.datasets import *  # noqa: F403 (the loaders' public names, listed in datasets.__all__)
from rhetoric.data.datasets import __all__ as __all__
