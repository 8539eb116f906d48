"""sklearn linear baselines on BANKING77 train.csv under the bench's exact 5 folds.
Run: /usr/bin/python3 test/bench/calibration/calib.py CONFIG [CONFIG...]   (configs: see CONFIGS)
     /usr/bin/python3 test/bench/calibration/calib.py --curve CONFIG      (learning curve on fold 4)
     /usr/bin/python3 test/bench/calibration/calib.py --curve-all CONFIG  (same, averaged over all 5 test folds)
     /usr/bin/python3 test/bench/calibration/calib.py --skfold CONFIG     (same CV on sklearn StratifiedKFold seeds 0-2)
Vectorizers are fitted inside each fold (Pipeline), on the training part only."""
import sys, time
import numpy as np, pandas as pd, sklearn
from sklearn.pipeline import Pipeline, FeatureUnion
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier

df = pd.read_csv('bench-results/calibration/folds.csv', keep_default_na=False)
X, y, fold = df.text.values, df.label.values, df.fold.values

def union():
    return FeatureUnion([
        ('w', TfidfVectorizer(analyzer='word', ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ('c', TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])

def word():
    return TfidfVectorizer(analyzer='word', ngram_range=(1, 2), sublinear_tf=True, min_df=1)

CONFIGS = {
    'a_svc_C0.5': lambda: Pipeline([('f', union()), ('m', LinearSVC(C=0.5))]),
    'a_svc_C1': lambda: Pipeline([('f', union()), ('m', LinearSVC(C=1.0))]),
    'b_lr_C10': lambda: Pipeline([('f', union()), ('m', LogisticRegression(C=10, max_iter=2000, solver='lbfgs'))]),
    'c_word_svc_C1': lambda: Pipeline([('f', word()), ('m', LinearSVC(C=1.0))]),
    'd_sgd_mhuber': lambda: Pipeline([('f', union()), ('m', SGDClassifier(loss='modified_huber', alpha=1e-4, max_iter=50, random_state=0))]),
    'd_ridge': lambda: Pipeline([('f', union()), ('m', RidgeClassifier(alpha=1.0))]),
}

def cv(name):
    accs, t0 = [], time.time()
    for f in range(5):
        tr, te = fold != f, fold == f
        m = CONFIGS[name]().fit(X[tr], y[tr])
        accs.append(float((m.predict(X[te]) == y[te]).mean()))
    print(f"{name}: mean {100*np.mean(accs):.2f} %  folds {' / '.join(f'{100*a:.2f}' for a in accs)}  "
          f"(sd {100*np.std(accs, ddof=1):.2f}, {time.time()-t0:.0f} s)", flush=True)

def curve(name):
    # Test always on fold 4; train on 3 / 4 folds (60 % / 80 % of train.csv).
    te = fold == 4
    pts = []
    for train_folds in ([0, 1, 2], [1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2, 3]):
        tr = np.isin(fold, train_folds)
        m = CONFIGS[name]().fit(X[tr], y[tr])
        acc = float((m.predict(X[te]) == y[te]).mean())
        pts.append((len(train_folds), int(tr.sum()), acc))
        print(f"{name}: train folds {train_folds} n={tr.sum()} -> fold 4 acc {100*acc:.2f} %", flush=True)
    a3 = np.mean([a for k, _, a in pts if k == 3]); n3 = np.mean([n for k, n, _ in pts if k == 3])
    a4, n4 = pts[-1][2], pts[-1][1]
    slope = (a4 - a3) / np.log(n4 / n3)
    n5 = len(X)
    print(f"mean of 3-fold runs {100*a3:.2f} % (n~{n3:.0f}); 4 folds {100*a4:.2f} % (n={n4}); "
          f"slope {100*slope:.2f} pts per ln(n); linear-in-log(n) extrapolation to n={n5}: "
          f"+{100*slope*np.log(n5/n4):.2f} pts -> {100*(a4+slope*np.log(n5/n4)):.2f} %", flush=True)

def curve_all(name):
    # Less noisy variant: every fold f as test; 3 of the other 4 folds (all 4 choices) vs all 4.
    from itertools import combinations
    a3s, a4s = [], []
    for f in range(5):
        te, others = fold == f, [g for g in range(5) if g != f]
        for sub in combinations(others, 3):
            tr = np.isin(fold, sub)
            a3s.append(float((CONFIGS[name]().fit(X[tr], y[tr]).predict(X[te]) == y[te]).mean()))
        tr = fold != f
        a4s.append(float((CONFIGS[name]().fit(X[tr], y[tr]).predict(X[te]) == y[te]).mean()))
        print(f"test fold {f}: 3 folds {' / '.join(f'{100*a:.2f}' for a in a3s[-4:])}; 4 folds {100*a4s[-1]:.2f}", flush=True)
    a3, a4 = np.mean(a3s), np.mean(a4s)
    slope = (a4 - a3) / np.log(4 / 3)
    gains = [a4s[i] - np.mean(a3s[4*i:4*i+4]) for i in range(5)]
    print(f"60 % -> {100*a3:.2f} %; 80 % -> {100*a4:.2f} %; per-fold gain {' / '.join(f'{100*g:+.2f}' for g in gains)}; "
          f"linear-in-log(n) to 100 %: +{100*slope*np.log(5/4):.2f} pts -> {100*(a4+slope*np.log(5/4)):.2f} %", flush=True)

if __name__ == '__main__':
    print('sklearn', sklearn.__version__, 'numpy', np.__version__, flush=True)
    args = sys.argv[1:]
    if args and args[0] == '--curve':
        curve(args[1])
    elif args and args[0] == '--curve-all':
        curve_all(args[1])
    elif args and args[0] == '--skfold':
        # Other fold assignments (sklearn StratifiedKFold, shuffled) to see how much the split moves the mean.
        from sklearn.model_selection import StratifiedKFold
        for seed in (0, 1, 2):
            fold = np.zeros(len(X), int)
            for f, (_, te) in enumerate(StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y)): fold[te] = f
            print(f'StratifiedKFold seed {seed}:', end=' '); cv(args[1])
    else:
        for n in args or CONFIGS: cv(n)
