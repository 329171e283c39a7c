"""Self-MM's unimodal label generation (ULGM) in PyTorch, written from ALGORITHMS.md sections 4.2
and 8.3 (not from the TypeScript port), for `npm run bench ulgm`: from the port's initial weights,
on the port's batches, learning rates and epochs, every step's loss terms and the label banks after
the step's update.

Classification reading (the port's, src/main/training/ulgm.ts header): class c -> value
(-1, 0, +1)[c], clamp H = 1 (SIMS's range). Two models:
  * "fusion": supervised with ULGM: e_t = ReLU(x_t W + b) (ulgm.hidden), e_v likewise; the fused
    head reads [e_t; e_v] -> clsHidden -> ReLU -> 3 (CE on the fused label); a Linear on e_t / e_v
    predicts the text / image label (the tanh(|Y_s - Y_m|)-weighted L1 of section 4.2).
  * "scdr": SCDR's step (scdr_reference.py) whose text and image heads learn the generated labels
    as class targets [max(0, -y), 1 - |y|, max(0, y)] (soft CE), the bank reading each head's
    post-layer-1 feature.
Labels move (from epoch 2) after the loss is read, then the batch's features enter the bank and
every centre is recomputed over the whole bank (zero rows for posts not seen yet).

Run free (from the initial weights) and, when the fixture has the port's weights before each step,
synced to them (scdr_reference.py `both_ways`).

Usage: python3 ulgm_reference.py FIXTURE  ->  one JSON line {"free": {"stats", "labels"}, "synced": {...}, "torch"}
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, __import__("os").path.dirname(__file__))
from scdr_reference import Named, both_ways, build, ce, fixed_steps, host_batches, load_synced, unpack, update  # noqa: E402

torch.set_num_threads(2)
VALUE = torch.tensor([-1.0, 0.0, 1.0], dtype=torch.float64)
H, EPS = 1.0, 1e-8


class Bank:
    """Section 8.3's memory: label bank Y_s and feature bank F_s per modality s in (m, t, v), centres."""

    def __init__(self, classes, dims):
        ym = VALUE[classes]
        self.Y = {"m": ym, "t": ym.clone(), "v": ym.clone()}
        self.F = {s: torch.zeros(len(ym), d, dtype=torch.float64) for s, d in dims.items()}
        self.recentre()

    def recentre(self):
        def mean(s, rows):
            return self.F[s][rows].mean(0) if rows.any() else torch.zeros(self.F[s].shape[1], dtype=torch.float64)

        # excludeZero off: label 0 counts as positive.
        self.c = {s: (mean(s, self.Y[s] >= 0), mean(s, self.Y[s] < 0)) for s in self.F}

    def alpha(self, s, f):
        pos, neg = self.c[s]
        d_p, d_n = (f - pos).norm(dim=1), (f - neg).norm(dim=1)
        return (d_n - d_p) / (d_p + EPS)

    def update(self, idx, feats, e):
        """e is the 1-based epoch; a post drawn twice in the batch is taken once (its first row)."""
        first = [i for i, n in enumerate(idx.tolist()) if n not in idx.tolist()[:i]]
        rows = idx[first]
        f = {s: feats[s][first].double() for s in feats}
        if e > 1:
            ym = self.Y["m"][rows]
            a_m = self.alpha("m", f["m"])
            for s in ("t", "v"):
                a_s = self.alpha(s, f[s])
                fresh = (0.5 * ym * a_s / (a_m + EPS) + 0.5 * (ym + a_s - a_m)).clamp(-H, H)
                self.Y[s][rows] = (e - 1) / (e + 1) * self.Y[s][rows] + 2 / (e + 1) * fresh
        for s in f:
            self.F[s][rows] = f[s]
        self.recentre()


def weighted_l1(pred, ys, ym):
    """mean_n(tanh(|Y_s - Y_m|) * |pred - Y_s|)."""
    return (torch.tanh((ys - ym).abs()) * (pred - ys).abs()).mean()


def class_targets(values):
    y = values.clamp(-1, 1)
    return torch.stack([(-y).clamp(min=0), 1 - y.abs(), y.clamp(min=0)], 1).float()


def soft_ce(logits, q):
    return -(q * F.log_softmax(logits, -1)).sum(1).mean()


def labels_of(bank):
    return {"t": bank.Y["t"].tolist(), "v": bank.Y["v"].tolist()}


def fusion(fx):
    cfg = fx["config"]
    _, model, opt, ema = build(fx, Named(fx["weights"], fx["shapes"]))
    w = model.w
    hidden = cfg["ulgm"]["hidden"]
    bank = Bank(torch.tensor(np.array(fx["classes"]), dtype=torch.long), {"m": cfg["clsHidden"], "t": hidden, "v": hidden})
    stats, labels = [], []
    for i, b in enumerate(host_batches(fx)):
        load_synced(model, fx, i)
        e_t = F.relu(b["txt"] @ w("ut.w1") + w("ut.b1"))
        e_v = F.relu(b["img"] @ w("uv.w1") + w("uv.b1"))
        h = F.relu(torch.cat([e_t, e_v], 1) @ w("w1") + w("b1"))
        logits = h @ w("w2") + w("b2")
        pred_t = (e_t @ w("ut.w2") + w("ut.b2")).reshape(-1)
        pred_v = (e_v @ w("uv.w2") + w("uv.b2")).reshape(-1)
        idx = b["labeled"]
        ym, yt, yv = (bank.Y[s][idx].float() for s in ("m", "t", "v"))
        lx = ce(logits, b["y"]).mean()
        lt, lv = weighted_l1(pred_t, yt, ym), weighted_l1(pred_v, yv, ym)
        loss = lx + cfg["ulgm"]["weight"] * (lt + lv)
        update(model, opt, ema, cfg, loss, fx["lrs"][i])
        bank.update(idx, {"m": h.detach(), "t": e_t.detach(), "v": e_v.detach()}, fx["epochs"][i] + 1)
        stats.append({"loss": loss.item(), "lx": lx.item(), "ulgmText": lt.item(), "ulgmImage": lv.item()})
        labels.append(labels_of(bank))
    return stats, labels


def scdr(fx):
    cfg = fx["config"]
    d = cfg["clsHidden"]
    bank = Bank(torch.tensor(np.array(fx["classes"]), dtype=torch.long), {"m": d, "t": d, "v": d})
    labels = []

    def unimodal(p):
        L, idx, w = p["L"], p["batch"]["labeled"], p["model"].w
        lt = soft_ce(p["pre_t"][L], class_targets(bank.Y["t"][idx]))
        lv = soft_ce(p["pre_v"][L], class_targets(bank.Y["v"][idx]))
        # The bank reads each head's post-layer-1 feature of the labeled rows, before the update.
        hidden = lambda name, z: F.relu(z @ w(name + ".w1") + w(name + ".b1")).detach()  # noqa: E731
        e = p["e"]
        p["features"] = {"m": hidden("cm", p["f"][L]), "t": hidden("ct", e["s_t"][L]), "v": hidden("cv", e["s_v"][L])}
        return cfg["ulgm"]["weight"] * (lt + lv), {"ulgmText": lt.item(), "ulgmImage": lv.item()}

    def after(i, b, p, st, _second):
        bank.update(b["labeled"], p["features"], fx["epochs"][i] + 1)
        labels.append(labels_of(bank))

    _, stats, _ = fixed_steps(fx, {"unimodal": unimodal}, after)
    return stats, labels


def main(path):
    fx = unpack(path)

    def run(f):
        stats, labels = fusion(f) if f["variant"] == "fusion" else scdr(f)
        return {"stats": stats, "labels": labels}

    print(json.dumps({**both_ways(fx, run), "torch": torch.__version__}))


if __name__ == "__main__":
    main(sys.argv[1])
