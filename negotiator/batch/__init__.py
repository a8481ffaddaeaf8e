"""Many cases at once: JSON-lines batches on local worker processes (:mod:`.local`), and the same
records on a Dask cluster (:mod:`.dask_runner`).
"""
