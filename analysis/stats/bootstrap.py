"""The bootstrap machinery: resampling respondents, percentile intervals and stratified means.

In: one department's respondents as rows of a matrix, a statistic of weighted rows, the run's
seed. Out: bootstrap replicates (one row per resample), their percentile intervals (plain, or
expanded for small groups as method.md asks), and the municipality's replicates as the mean of the departments' replicates resample by resample
(the stratified bootstrap of method.md).

Resampling is done with multinomial weight matrices: a resample is a row of counts (how often
each respondent was drawn), and a statistic that is linear in the respondents (sums) turns a
block of resamples into one matrix product, so 2,000 resamples cost a few matrix
multiplications rather than 2,000 Python iterations.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import warnings
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from ..exceptions import ParameterError

__all__ = [
    "check_confidence",
    "department_generator",
    "expanded_alpha",
    "expanded_interval",
    "percentile_interval",
    "resample",
    "stratified_mean",
]

#: Resamples x respondents per matrix product (bounds memory for large departments: 16 MB of weights) ...
BLOCK_CELLS = 2**22
#: ... and per drawing and counting chunk (small enough to stay in the processor's cache).
CHUNK_CELLS = 2**18


@functools.cache
def _openblas_thread_functions() -> tuple | None:
    """Return the (get, set) thread-count functions of the OpenBLAS numpy uses, or None where not found.

    Found among the libraries the process has loaded (Linux lists them in /proc/self/maps);
    numpy's own wheels name the functions with a ``scipy_`` prefix and a ``64_`` suffix.
    """
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    paths = dict.fromkeys(
        line.split()[-1] for line in maps.splitlines() if "openblas" in line.rsplit("/", 1)[-1].lower()
    )
    for path in paths:
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get = getattr(library, f"{prefix}_get_num_threads{suffix}", None)
                set_ = getattr(library, f"{prefix}_set_num_threads{suffix}", None)
                if get is not None and set_ is not None:
                    get.restype = ctypes.c_int
                    return get, set_
    return None


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Let matrix products run on one thread for a while (then as before); a no-op where that is not possible.

    The bootstrap alternates drawing (one core) with matrix products. OpenBLAS's second
    thread waits for the next product by spinning, so on a busy two-core machine it takes the
    core the drawing needs: scoring 200,000 respondents took 25 s instead of 10 s. Threads share
    a product out by rows and columns, never along a sum, and the scoring's sums are whole
    numbers, exact in any order: the replicates are the same on one thread or several.
    """
    functions = _openblas_thread_functions()
    if functions is None:
        yield
        return
    get, set_ = functions
    before = get()
    set_(1)
    try:
        yield
    finally:
        set_(before)


def check_confidence(confidence: float) -> float:
    """Return an interval's two-sided confidence level, or raise ParameterError unless 0 < it < 1.

    Examples
    --------
    >>> check_confidence(0.95)
    0.95
    """
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must lie between 0 and 1, found {confidence!r}.")
    return confidence


def department_generator(seed: int, wave: int, department: str, stream: str | None = None) -> np.random.Generator:
    """Return the random generator for one department and wave.

    Seeding each (wave, department) from the run's seed makes a department's interval
    independent of which other departments or waves are in the data. ``stream`` names a
    statistic with draws of its own (e.g. ``"barriers"``): its name is mixed into the seed, so
    its resamples are not those of the maturity scores (which pass no stream).

    Examples
    --------
    >>> a = department_generator(2025, 2025, "BUF").integers(0, 10**9)
    >>> b = department_generator(2025, 2025, "BUF", stream="barriers").integers(0, 10**9)
    >>> bool(a == department_generator(2025, 2025, "BUF").integers(0, 10**9)), bool(a == b)
    (True, False)
    """
    entropy = [int(seed), int(wave), zlib.crc32(department.encode("utf-8"))]
    if stream is not None:
        entropy.append(zlib.crc32(stream.encode("utf-8")))
    return np.random.default_rng(entropy)


def _multinomial_weights(b: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``b`` resamples of ``n`` respondents; return how often each respondent was drawn in each.

    The draws are made and counted in chunks that stay in the processor's cache, never all at
    once. The generator's stream is the same however the draws are split into calls, so the
    weights do not depend on the chunk size.
    """
    chunk = max(1, CHUNK_CELLS // n)
    weights = np.empty((b, n), dtype=np.float32)
    for lo in range(0, b, chunk):
        hi = min(b, lo + chunk)
        flat = rng.integers(0, n, size=(hi - lo, n), dtype=np.uint32).astype(np.int64)
        flat += (np.arange(hi - lo, dtype=np.int64) * n)[:, None]
        weights[lo:hi] = np.bincount(flat.ravel(), minlength=(hi - lo) * n).reshape(hi - lo, n)
    return weights


def resample(
    n: int, statistic: Callable[[np.ndarray], tuple[np.ndarray, ...]], resamples: int, rng: np.random.Generator
) -> tuple[np.ndarray, ...]:
    """Return bootstrap replicates of a statistic of ``n`` respondents drawn with replacement.

    Parameters
    ----------
    n
        Respondents in the group.
    statistic
        Takes a weights matrix (resamples x respondents: how often each respondent was drawn,
        float32) and returns one or more arrays with one row per resample. A row of ones is the
        point estimate.
    resamples
        Number of resamples.
    rng
        The generator, e.g. :func:`department_generator`.

    Returns
    -------
    tuple of numpy.ndarray
        Each output of ``statistic`` with the rows of all resamples stacked (resamples x ...).

    Notes
    -----
    Resamples are drawn in blocks of at most ``BLOCK_CELLS`` cells, so memory stays flat for
    groups of any size while each block is one large, efficient matrix product. The replicates
    do not depend on the block size: the draws are one stream, and each resample's row is
    computed on its own.

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 3.0, 4.0])
    >>> (means,) = resample(4, lambda w: ((w @ x) / w.sum(axis=1),), 500, np.random.default_rng(1))
    >>> means.shape, bool(1 <= means.min() and means.max() <= 4)
    ((500,), True)
    """
    block = max(64, min(resamples, BLOCK_CELLS // n))
    parts: list[tuple[np.ndarray, ...]] = []
    with _one_blas_thread():
        for start in range(0, resamples, block):
            b = min(block, resamples - start)
            parts.append(tuple(statistic(_multinomial_weights(b, n, rng))))
    return tuple(np.concatenate(outputs) for outputs in zip(*parts))


def percentile_interval(reps, confidence: float):
    """Return the percentile interval of bootstrap replicates, ignoring NaN (numpy's 'linear').

    Parameters
    ----------
    reps : array-like
        Replicates: one dimension (resamples) or two (resamples x statistics).
    confidence
        Two-sided level, between 0 and 1.

    Returns
    -------
    tuple
        ``(low, high)``: floats for one-dimensional ``reps``, else one array entry per column.
        A column without any number gives NaN.

    Examples
    --------
    >>> percentile_interval(np.arange(5.0), 0.5)
    (1.0, 3.0)
    >>> low, high = percentile_interval(np.array([[0.0, np.nan], [4.0, np.nan]]), 0.5)
    >>> low.tolist(), bool(np.isnan(high[1]))
    ([1.0, nan], True)
    """
    tail = (1 - confidence) / 2
    percents = [100 * tail, 100 * (1 - tail)]
    reps = np.asarray(reps, dtype=float)
    # np.percentile is vectorised over columns, np.nanpercentile loops over them in Python (a
    # third of the scoring time), so the NaN-aware one only gets the columns that have NaN.
    # Both interpolate linearly, so the numbers do not depend on which one ran.
    gaps = np.isnan(reps).any(axis=0)
    if not np.any(gaps):
        low, high = np.percentile(reps, percents, axis=0)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column gives NaN, as it should
            if reps.ndim == 1:
                low, high = np.nanpercentile(reps, percents)
            else:
                bounds = np.percentile(reps, percents, axis=0)
                bounds[:, gaps] = np.nanpercentile(reps[:, gaps], percents, axis=0)
                low, high = bounds
    if np.ndim(low) == 0:
        return float(low), float(high)
    return low, high


def expanded_alpha(n, confidence: float):
    """Return the adjusted two-sided level alpha' of the expanded percentile interval.

    Hesterberg (2015), "What teachers should know about the bootstrap": percentile intervals
    are too narrow in small samples; taking them at

        alpha' = 2 * Phi(-sqrt(n / (n - 1)) * t_{1 - alpha/2, n - 1}),  alpha = 1 - confidence,

    (``t`` the positive upper critical value of Student's t with ``n - 1`` degrees of freedom)
    widens them by the factor of the t interval with the ``n / (n - 1)`` variance correction.

    Parameters
    ----------
    n : int or array-like
        Group size(s), e.g. the respondents ``n(d,V)`` of a department and value.
    confidence
        Two-sided level, between 0 and 1.

    Returns
    -------
    float or numpy.ndarray
        A float for scalar ``n``, else an array of ``n``'s shape; NaN where ``n < 2`` (or NaN).
        Smaller than ``1 - confidence`` and tends to it as ``n`` grows.

    Examples
    --------
    >>> round(expanded_alpha(5, 0.95), 6), round(expanded_alpha(20, 0.95), 5)
    (0.001908, 0.03176)
    >>> expanded_alpha([1, 5], 0.95).round(6).tolist()
    [nan, 0.001908]
    """
    check_confidence(confidence)
    # scipy.special holds the functions scipy.stats.t.ppf and norm.cdf evaluate (stdtrit, ndtr),
    # without the second or two that importing scipy.stats takes; imported here, as in
    # reliability.py, because most commands never need it.
    from scipy import special

    size = np.asarray(n, dtype=float)
    ok = size >= 2  # NaN compares False
    df = np.where(ok, size - 1, 1.0)
    t = special.stdtrit(df, 1 - (1 - confidence) / 2)
    alpha = np.where(ok, 2 * special.ndtr(-np.sqrt(np.where(ok, size, 2.0) / df) * t), np.nan)
    if alpha.ndim == 0:
        return float(alpha)
    return alpha


def expanded_interval(reps, n, confidence: float):
    """Return the expanded percentile interval of bootstrap replicates (method.md, Uncertainty).

    The percentile interval of :func:`percentile_interval` (NaN skipped, numpy's 'linear'
    interpolation), but each column taken at the percentiles ``alpha' / 2`` and
    ``1 - alpha' / 2`` of its own group size, ``alpha'`` from :func:`expanded_alpha`. It
    contains the plain percentile interval of the same replicates.

    Parameters
    ----------
    reps : array-like
        Replicates: one dimension (resamples) or two (resamples x statistics).
    n : int or array-like
        Group size: one number, or one per column of two-dimensional ``reps``.
    confidence
        Two-sided level, between 0 and 1.

    Returns
    -------
    tuple
        ``(low, high)``: floats for one-dimensional ``reps``, else one array entry per column.
        NaN for a column without any number or whose ``n`` is below 2.

    Examples
    --------
    >>> low, high = expanded_interval(np.arange(2001.0), 5, 0.95)
    >>> round(low, 3), round(high, 3)
    (1.908, 1998.092)
    >>> low, high = expanded_interval(np.arange(2001.0)[:, None].repeat(2, axis=1), [20, 1], 0.95)
    >>> low.round(2).tolist(), bool(np.isnan(high[1]))
    ([31.76, nan], True)
    """
    reps = np.asarray(reps, dtype=float)
    alpha = np.asarray(expanded_alpha(n, confidence), dtype=float)
    if reps.ndim == 1:
        if alpha.size != 1:
            raise ParameterError(f"one-dimensional replicates take one group size, found {np.size(n)}.")
        a = float(alpha.reshape(()))
        if np.isnan(a):
            return float("nan"), float("nan")
        return percentile_interval(reps, 1 - a)
    if reps.ndim != 2:
        raise ParameterError(f"replicates must have one or two dimensions, found {reps.ndim}.")
    columns = reps.shape[1]
    if alpha.ndim > 1 or alpha.size not in (1, columns):
        raise ParameterError(f"give one group size or one per column ({columns}), found shape {np.shape(n)}.")
    alpha = np.broadcast_to(alpha.reshape(-1), (columns,))
    low, high = np.full(columns, np.nan), np.full(columns, np.nan)
    # Columns of the same n share their percentiles, so each distinct n is one vectorised call.
    for a in np.unique(alpha[~np.isnan(alpha)]):
        cols = alpha == a
        low[cols], high[cols] = percentile_interval(reps[:, cols], 1 - a)
    return low, high


def stratified_mean(replicates: Sequence[np.ndarray], weights=None) -> np.ndarray:
    """Return the municipality's replicates: the departments' replicates averaged resample by resample.

    Each department is resampled within itself, so resample ``b`` of the municipality is the
    mean of resample ``b`` of every department (the stratified bootstrap).

    Parameters
    ----------
    replicates
        One array of replicates (resamples,) per department.
    weights : array-like, optional
        One fixed weight per department (e.g. respondents); equal weights by default.

    Returns
    -------
    numpy.ndarray
        One number per resample. A department whose resample is NaN (no valid answer) drops
        out of that resample and the others' weights are renormalised; a resample where every
        department is NaN stays NaN.

    Examples
    --------
    >>> stratified_mean([np.array([1.0, 2.0]), np.array([3.0, np.nan])]).tolist()
    [2.0, 2.0]
    >>> stratified_mean([np.array([1.0, 2.0]), np.array([3.0, np.nan])], weights=[1, 3]).tolist()
    [2.5, 2.0]
    """
    reps = np.column_stack(replicates)
    if weights is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a resample where all are NaN stays NaN
            return np.nanmean(reps, axis=1)
    present = ~np.isnan(reps)
    w = np.broadcast_to(np.asarray(weights, dtype=float), reps.shape)
    total = np.where(present, reps * w, 0.0).sum(axis=1)
    weight = np.where(present, w, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / np.where(weight > 0, weight, 1), np.nan)
