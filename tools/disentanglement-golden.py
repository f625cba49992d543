#!/usr/bin/env python3
"""Golden numbers for Tests/NNTests/DisentanglementGoldenTests.swift, from scikit-learn itself.

Ran with Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1 (pip install scikit-learn==1.9.1). Solvers run
with tight tolerances so that they report the optimum that GenLab's solvers converge to.
"""
import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC


def data(n):
    """Exact rationals (the same floats in Swift): two features and three noisy classes."""
    x = np.array([[((i * 7919) % 101) / 101, ((i * 104729 + 13) % 97) / 97] for i in range(n)])
    y = np.array([int(a + 0.5 * b > 0.6) + int(a > 0.8) for a, b in x])
    y[::7] = (y[::7] + 1) % 3
    return x, y


np.set_printoptions(precision=17)
x = np.array([i / 100 - 0.995 for i in range(300)])
svc = LinearSVC(C=0.01, class_weight="balanced", tol=1e-12, max_iter=1000000).fit(x[:, None], (x > 0).astype(int))
print("svc binary w, b:", svc.coef_.ravel(), svc.intercept_)
svc = LinearSVC(C=0.01, class_weight="balanced", tol=1e-12, max_iter=1000000).fit(data(90)[0][:, :1], data(90)[1])
print("svc ovr w:", svc.coef_.ravel(), "b:", svc.intercept_)
features, labels = data(90)
lr = LogisticRegression(tol=1e-12, max_iter=100000).fit(features, labels)
print("logistic W:", lr.coef_.ravel(), "b - b_last:", lr.intercept_ - lr.intercept_[-1])
gbt = GradientBoostingClassifier(random_state=0).fit(features.astype(np.float32), labels)
print("gbt importances:", gbt.feature_importances_, "train accuracy:", gbt.score(features, labels))
print("gbt predictions:", "".join(map(str, gbt.predict(features))))
