"""Reference PCA results from scikit-learn for pca_test.go.

Reads a JSON list of cases from standard input, each with
"rows", "cols", "data" (row-major), "n_components", "svd_solver" and
"whiten", and prints a JSON list of the fitted attributes and the
transformed data.
"""
import json
import sys

import numpy as np
from sklearn.decomposition import PCA

cases = json.load(sys.stdin)
out = []
for c in cases:
    x = np.array(c["data"], dtype=np.float64).reshape(c["rows"], c["cols"])
    p = PCA(n_components=c["n_components"], svd_solver=c["svd_solver"],
            whiten=c["whiten"], random_state=0)
    emb = p.fit_transform(x)
    out.append({
        "components": p.components_.ravel().tolist(),
        "mean": p.mean_.tolist(),
        "explained_variance": p.explained_variance_.tolist(),
        "explained_variance_ratio": p.explained_variance_ratio_.tolist(),
        "singular_values": p.singular_values_.tolist(),
        "embedding": emb.ravel().tolist(),
    })
json.dump(out, sys.stdout)
