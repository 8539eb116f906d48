"""Pairs our learning curve (bench-results/calibration/our-curve.jsonl) with sklearn's (bench-results/calibration/sk-curve.jsonl) per test fold.
Run: /usr/bin/python3 test/bench/calibration/pair.py"""
import json, numpy as np
def load(p):
    try: return [json.loads(l) for l in open(p)]
    except FileNotFoundError: return []
R = {'ours': load('bench-results/calibration/our-curve.jsonl'), 'sk': load('bench-results/calibration/sk-curve.jsonl')}
def fold_mean(runs, f, k):
    a = [r['accuracy'] for r in runs if r['test'] == f and len(r['train']) == k]
    return np.mean(a) if a else np.nan
N = 10003
tab = {m: np.array([[fold_mean(R[m], f, k) for k in (2, 3, 4)] for f in range(5)]) * 100 for m in R}
for m, t in tab.items():
    print(f"{m}: per test fold 40/60/80 %:", ' | '.join(' '.join(f'{x:.2f}' for x in row) for row in t))
    mean = np.nanmean(t, axis=0)
    g = t[:, 2] - t[:, 1]
    slope = np.nanmean(g) / np.log(4 / 3)
    print(f"  means 40 % {mean[0]:.2f}  60 % {mean[1]:.2f}  80 % {mean[2]:.2f}; gain 60->80 {np.nanmean(g):+.2f} (per fold {' '.join(f'{x:+.2f}' for x in g)}; se {np.nanstd(g, ddof=1)/np.sqrt(np.sum(~np.isnan(g))):.2f})"
          f"; 2-point log-linear -> 100 %: +{slope*np.log(5/4):.2f} = {mean[2] + slope*np.log(5/4):.2f}")
    if not np.isnan(mean[0]):
        g1 = t[:, 1] - t[:, 0]
        s1 = np.mean(g1) / np.log(3 / 2)
        print(f"  gain 40->60 {np.mean(g1):+.2f} (slope {s1:.2f} pts/ln n vs 60->80 slope {slope:.2f})")
        n = np.array([2, 3, 4]) / 5 * N
        # 3-point fits: a + b ln n (least squares) and error = c n^-alpha (power law in the error rate)
        b, a = np.polyfit(np.log(n), mean, 1)
        print(f"  3-point log-linear fit -> 100 %: {a + b*np.log(N):.2f} (residuals {' '.join(f'{x:+.2f}' for x in mean - (a + b*np.log(n)))})")
        al, lc = np.polyfit(np.log(n), np.log(100 - mean), 1)
        print(f"  power law on error (err ~ n^{al:.3f}) -> 100 %: {100 - np.exp(lc + al*np.log(N)):.2f}")
        # 3-point quadratic in ln n (uses the curvature)
        q = np.polyfit(np.log(n), mean, 2)
        print(f"  quadratic in ln n through the 3 points -> 100 %: {np.polyval(q, np.log(N)):.2f}")
if len(R['sk']) and len(R['ours']):
    d = tab['ours'] - tab['sk']
    for j, k in enumerate((2, 3, 4)):
        col = d[:, j]
        if np.isnan(col).all(): continue
        print(f"ours - sklearn at {20*k} %: {np.nanmean(col):+.2f} (per fold {' '.join(f'{x:+.2f}' for x in col)}; sd {np.nanstd(col, ddof=1):.2f}, se {np.nanstd(col, ddof=1)/np.sqrt(5):.2f})")
    gd = (tab['ours'][:, 2] - tab['ours'][:, 1]) - (tab['sk'][:, 2] - tab['sk'][:, 1])
    print(f"gain difference (ours - sklearn) 60->80: {np.nanmean(gd):+.2f} (per fold {' '.join(f'{x:+.2f}' for x in gd)}; se {np.nanstd(gd, ddof=1)/np.sqrt(5):.2f})")
    # Per-fold extrapolations and their paired difference
    ex = {m: tab[m][:, 2] + (tab[m][:, 2] - tab[m][:, 1]) / np.log(4/3) * np.log(5/4) for m in tab}
    e = ex['ours'] - ex['sk']
    print(f"extrapolated 100 %: ours {np.nanmean(ex['ours']):.2f}, sklearn {np.nanmean(ex['sk']):.2f}; difference {np.nanmean(e):+.2f} (per fold {' '.join(f'{x:+.2f}' for x in e)}; se {np.nanstd(e, ddof=1)/np.sqrt(5):.2f})")
    # Discordance on one test fold: how noisy a paired difference is on a set of a given size
    print("(test-set noise of a paired difference scales like sd_fold * sqrt(2000/3080) on the 3080-row official test)")
