#!/usr/bin/python3
"""Python side of test/bench/cli.bench.ts: what a pandas + SciPy user runs for the same question.

    /usr/bin/python3 scripts/bench/cli_scipy.py REFERENCE.csv CURRENT.csv

Reads both CSV files with pandas.read_csv and runs scipy.stats.ks_2samp (method 'auto':
asymptotic at this size) on every column after dropping missing values, as
`driftbook drift --method ks` does. The benchmark times this whole process from outside (start,
imports included, like the CLI's); inside it times the reads and the tests. Prints one JSON
object on stdout: read_s, ks_s, versions, and each column's statistic and p-value.
"""

import json
import sys
import time

import numpy as np
import pandas as pd
import scipy
from scipy import stats


def main(reference_path, current_path):
    started = time.perf_counter()
    reference = pd.read_csv(reference_path)
    current = pd.read_csv(current_path)
    read = time.perf_counter()
    columns = {}
    for name in reference.columns:
        ref = reference[name].to_numpy(dtype=np.float64)
        cur = current[name].to_numpy(dtype=np.float64)
        result = stats.ks_2samp(ref[~np.isnan(ref)], cur[~np.isnan(cur)])
        columns[name] = {'statistic': float(result.statistic), 'p_value': float(result.pvalue)}
    done = time.perf_counter()
    print(json.dumps({
        'read_s': round(read - started, 3),
        'ks_s': round(done - read, 3),
        'columns': columns,
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'pandas': pd.__version__, 'scipy': scipy.__version__},
    }))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
