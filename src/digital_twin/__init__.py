"""A professional's AI digital twin."""

import os

# numpy's BLAS on one thread (unless told otherwise, and only if numpy is not loaded yet): the
# twin's matrix products are small and run side by side with server threads, other workers
# and the embedding model, and BLAS threads fighting them for two cores made a 10,000-row
# product 13 times slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

__version__ = "0.1.0"
