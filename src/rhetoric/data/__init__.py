"""Corpus loaders (scikit-learn's ``load_*`` convention, ``data_home=`` or ``$RHETORIC_DATA``) and
evaluation metrics. Nothing is downloaded and no corpus ships with the package."""
