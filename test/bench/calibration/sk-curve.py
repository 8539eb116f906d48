"""sklearn a_svc_C1 (calib.py's config) learning curve under the bench folds, per test fold, with
2-, 3- and 4-fold training sets (40/60/80 %), all subsets; JSON lines to bench-results/calibration/sk-curve.jsonl
(resumable), so the per-fold figures can be paired with ours (bench-results/calibration/our-curve.jsonl).
Run: /usr/bin/python3 test/bench/calibration/sk-curve.py [--sizes 4,3,2]"""
import sys, json, os, time
from itertools import combinations
import numpy as np
sys.argv, argv = sys.argv[:1], sys.argv[1:]
import importlib.util
spec = importlib.util.spec_from_file_location('calib', 'test/bench/calibration/calib.py'); calib = importlib.util.module_from_spec(spec); spec.loader.exec_module(calib)
X, y, fold = calib.X, calib.y, calib.fold
sizes = [int(s) for s in (argv[argv.index('--sizes') + 1] if '--sizes' in argv else '4,3,2').split(',')]
OUT = 'bench-results/calibration/sk-curve.jsonl'
have = set()
if os.path.exists(OUT):
    for l in open(OUT):
        r = json.loads(l); have.add((r['test'], tuple(r['train'])))
for k in sizes:
    for f in range(5):
        for sub in combinations([g for g in range(5) if g != f], k):
            if (f, sub) in have: continue
            t0 = time.time(); tr, te = np.isin(fold, sub), fold == f
            correct = int((calib.CONFIGS['a_svc_C1']().fit(X[tr], y[tr]).predict(X[te]) == y[te]).sum())
            r = dict(test=f, train=list(sub), n=int(tr.sum()), correct=correct, total=int(te.sum()), accuracy=correct / int(te.sum()), seconds=round(time.time() - t0, 1))
            open(OUT, 'a').write(json.dumps(r) + '\n')
            print(f"{time.strftime('%H:%M:%S')} test {f} train {list(sub)} n={r['n']}: {correct}/{r['total']} = {100*r['accuracy']:.2f} % ({r['seconds']} s)", flush=True)
