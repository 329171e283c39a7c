"""SCDR's trainable heads on cached features in PyTorch, written from ALGORITHMS.md section 1.3,
1.4 and 8.1 (not from the TypeScript port), for `npm run bench training`:

  * speed: ms per optimiser step on the same model, batch sizes and feature sizes as the port;
  * fidelity: from the port's initial weights, on the port's batches, the loss terms of every step.

  * a whole run (fixture mode "train"): the port's features and initial weights, batches drawn here,
    model selection on val as the port's default preset does: test accuracy and mask rate.

Usage: python3 scdr_reference.py FIXTURE  ->  one JSON line ({"msPerStep", "stats"} or {"selected", "maskM", ...})
FIXTURE is written by bench/training.ts in the layout of src/main/training/checkpoint.ts packArrays:
u32 header length, JSON header, 8-byte aligned float32/int32 arrays named {"$array", offset, length}.
Run it with OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(2) (set below), as the bench does.
"""
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
DTYPES = {"f32": np.float32, "i32": np.int32, "f64": np.float64}


def unpack(path):
    raw = open(path, "rb").read()
    (length,) = struct.unpack_from("<I", raw, 0)
    start = (4 + length + 7) // 8 * 8
    tail = raw[start:]

    def revive(obj):
        if isinstance(obj, dict) and "$array" in obj:
            dtype = DTYPES[obj["$array"]]
            return np.frombuffer(tail, dtype=dtype, count=obj["length"], offset=obj["offset"])
        if isinstance(obj, dict):
            return {k: revive(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [revive(v) for v in obj]
        return obj

    return revive(json.loads(raw[4 : 4 + length].decode()))


class Named(torch.nn.Module):
    """Parameters by the port's names; weights stored [in, out] there, used as x @ W here."""

    def __init__(self, weights, shapes, frozen=lambda name: False):
        super().__init__()
        self.p = torch.nn.ParameterDict()
        for name, values in weights.items():
            key = name.replace(".", "_")
            t = torch.tensor(np.array(values, dtype=np.float32)).reshape(shapes[name])
            self.p[key] = torch.nn.Parameter(t, requires_grad=not frozen(name))

    def w(self, name):
        return self.p[name.replace(".", "_")]


class Scdr(Named):
    def __init__(self, weights, shapes, frozen_selector):
        super().__init__(weights, shapes, lambda name: frozen_selector and name.startswith("sel."))

    def head(self, name, z):
        return F.relu(z @ self.w(name + ".w1") + self.w(name + ".b1")) @ self.w(name + ".w2") + self.w(name + ".b2")

    def selector(self, tokens):
        return F.relu(tokens @ self.w("sel.w1") + self.w("sel.b1")) @ self.w("sel.w2") + self.w("sel.b2")

    def encode(self, txt, img):
        x_t, x_v = txt @ self.w("pt"), img @ self.w("pv")
        s_t, s_v = x_t @ self.w("et"), x_v @ self.w("ev")
        c_t, c_v = x_t @ self.w("ec"), x_v @ self.w("ec")
        r_t = torch.cat([s_t, c_t], 1) @ self.w("dt")
        r_v = torch.cat([s_v, c_v], 1) @ self.w("dv")
        return dict(x_t=x_t, x_v=x_v, s_t=s_t, s_v=s_v, c_t=c_t, c_v=c_v, c_m=c_t + c_v, r_t=r_t, r_v=r_v, s_t_r=r_t @ self.w("et"), s_v_r=r_v @ self.w("ev"))

    def attend(self, s_t, s_v, c_m, k):
        """Section 1.3: A = softmax(Q K^T / sigma) over the 3 tokens, f = row k of A V."""
        tokens = torch.stack([s_t, s_v, c_m], 1)  # (n, 3, d)
        q = tokens @ self.w("att.wq") + self.w("att.bq")
        key = tokens @ self.w("att.wk") + self.w("att.bk")
        v = tokens @ self.w("att.wv") + self.w("att.bv")
        a = torch.softmax(torch.bmm(q, key.transpose(1, 2)) / self.w("att.sigma"), dim=-1)
        return torch.bmm(a, v)[torch.arange(len(k)), k]


def ce(logits, y):
    return F.nll_loss(F.log_softmax(logits, -1), y, reduction="none")


def mse(a, b):
    return ((a - b) ** 2).sum() / a.numel()


def ortho(s, c):
    # target -1, margin 0: mean max(0, cos(s_i, c_i))
    return F.cosine_embedding_loss(s, c, -torch.ones(len(s)), margin=0.0)


def ordinal_hinge_cubic(x, ids, margin_per_step):
    """Section 1.4 (g) as written: every (anchor, positive, negative) triple, an M^3 tensor (the check)."""
    cos, pos, neg, margin = _hinge_parts(x, ids, margin_per_step)
    terms = F.relu(margin[:, None, :] - cos[:, :, None] + cos[:, None, :]) * pos[:, :, None] * neg[:, None, :]
    pairs = pos.sum(1) * neg.sum(1)
    valid = pairs > 0
    if not valid.any():
        return x.sum() * 0
    return (terms.sum((1, 2))[valid] / pairs[valid]).mean()


def _hinge_parts(x, ids, margin_per_step):
    norms = torch.clamp(torch.sqrt((x * x).sum(1, keepdim=True) + 1e-8), min=1e-8)
    u = x / norms
    cos = u @ u.t()
    same = ids[:, None] == ids[None, :]
    eye = torch.eye(len(ids), dtype=torch.bool)
    margin = margin_per_step * (ids[:, None] - ids[None, :]).abs().float()
    return cos, (same & ~eye).float(), (~same).float(), margin


def ordinal_hinge(x, ids, margin_per_step):
    """The same loss in O(M^2 log M): for anchor a and negative n, sum_p max(0, t - v_p) over the
    positives' cosines v sorted ascending is k*t - (sum of the k smallest v), k = #{v_p < t},
    with t = margin(a, n) + cos(a, n). Autograd flows through the sort and the threshold."""
    cos, pos, neg, margin = _hinge_parts(x, ids, margin_per_step)
    n_pos, n_neg = pos.sum(1), neg.sum(1)
    valid = (n_pos > 0) & (n_neg > 0)
    if not valid.any():
        return x.sum() * 0
    v, _ = torch.where(pos > 0, cos, torch.full_like(cos, 1e4)).sort(1)  # non-positives sort last
    prefix = torch.cat([torch.zeros(len(ids), 1), v.cumsum(1)], 1)
    t = margin + cos
    k = torch.minimum(torch.searchsorted(v.detach().contiguous(), t.detach().contiguous()), n_pos[:, None].long())
    per_anchor = ((k * t - prefix.gather(1, k)) * neg).sum(1)
    return (per_anchor[valid] / (n_pos * n_neg)[valid]).mean()


def in_plf_phase(cfg, step, epoch):
    """The port's PLF phase: a share of the run's steps when plfShare > 0, else the paper's epochs."""
    s = cfg["scdr"]
    if s["plfShare"] > 0:
        return step < max(1, round(s["plfShare"] * cfg["steps"]))
    return epoch <= s["plfEpochs"]


def step_loss(model, cfg, batch, epoch, step=None, extras=None):
    """One iteration of section 8.1 (and the supervised selector of the port when configured).

    `extras` (bench/reference/scdr_variants_reference.py) adds the port's options: "unimodal"
    replaces the text/image heads' labeled term (ULGM's generated labels), "terms" adds loss terms
    (a teacher's, SPP-SCL's intra-modal SupCon); both see the step's tensors in `parts`.
    """
    s = cfg["scdr"]
    extras = extras or {}
    txt, img, y = batch["txt"], batch["img"], batch["y"]
    l, u = len(y), cfg["batchUnlabeled"]
    e = model.encode(txt, img)
    L, W, S0 = slice(0, l), slice(l, l + u), slice(l + u, l + 2 * u)
    n_sel = l + 2 * u
    g = model.selector(torch.cat([e["s_t"], e["s_v"], e["c_m"]], 1)[:n_sel].detach())
    k = g.argmax(1)
    f = model.attend(e["s_t"][:n_sel], e["s_v"][:n_sel], e["c_m"][:n_sel], k)
    pre_t, pre_v, pre_m_att = model.head("ct", e["s_t"][:n_sel]), model.head("cv", e["s_v"][:n_sel]), model.head("cm", f)
    early = in_plf_phase(cfg, step, epoch) if step is not None else epoch <= s["plfEpochs"]
    parts = dict(model=model, e=e, f=f, L=L, W=W, S0=S0, pre_t=pre_t, pre_v=pre_v, pre_m=pre_m_att, batch=batch)
    extra_stats = {}

    lm = ce(pre_m_att[L], y).mean()
    lsup = lm
    if "unimodal" in extras:
        add, st = extras["unimodal"](parts)
        lsup = lsup + add
        extra_stats.update(st)
    elif s["unimodalLabels"] == "always":
        lsup = lsup + ce(pre_t[L], y).mean() + ce(pre_v[L], y).mean()
    elif early:
        thr = s["labelFilterFactor"] * lm.item()
        sv = ce(model.head("cm", e["s_v"][L]), y).detach() < thr
        st = ce(model.head("cm", e["s_t"][L]), y).detach() < thr
        lsup = lsup + (ce(pre_v[L][sv], y[sv]).mean() if sv.any() else 0) + (ce(pre_t[L][st], y[st]).mean() if st.any() else 0)

    with torch.no_grad():
        sm, ym = torch.softmax(pre_m_att[W], -1).max(1)
        st_, yt = torch.softmax(pre_t[W], -1).max(1)
        sv_, yv = torch.softmax(pre_v[W], -1).max(1)
        if early:
            thr_p = s["plfFactor"] * float(lsup)
            lt = ce(model.head("ct", e["c_m"][W]), yt)
            lv = ce(model.head("cv", e["c_m"][W]), yv)
            drop = (k[W] == 2) & ((lt > thr_p) | (lv > thr_p))
            sm = torch.where(drop, torch.zeros_like(sm), sm)
        tau = cfg["threshold"]
        mask_m, mask_t, mask_v = (sm >= tau).float(), (st_ >= tau).float(), (sv_ >= tau).float()

    lu = (ce(pre_m_att[S0], ym) * mask_m).mean() + (ce(pre_t[S0], yt) * mask_t).mean() + (ce(pre_v[S0], yv) * mask_v).mean()
    lrec = mse(e["r_t"], e["x_t"]) + mse(e["r_v"], e["x_v"])
    lcyc = mse(e["s_t"], e["s_t_r"]) + mse(e["s_v"], e["s_v_r"])
    lort = ortho(e["s_t"], e["c_t"]) + ortho(e["s_v"], e["c_v"])
    common = torch.cat([e["c_t"][L], e["c_v"][L], e["c_t"][W], e["c_v"][W]])
    lsim = ordinal_hinge(common, torch.cat([y, y, ym, ym]), s["hingeMargin"])
    loss = lsup + cfg["lambdaU"] * lu + lrec + lcyc + s["decouplingWeight"] * (lsim + lort)
    for add, st in extras.get("terms", lambda _: [])(parts):
        loss = loss + add
        extra_stats.update(st)
    stats = dict(lsup=float(lsup), lm=lm.item(), lu=lu.item(), lrec=lrec.item(), lcyc=lcyc.item(), lort=lort.item(), lsim=lsim.item(), maskM=mask_m.mean().item(), **extra_stats)
    if s["selector"] == "supervised":
        with torch.no_grad():
            target = torch.stack([ce(pre_t[L], y), ce(pre_v[L], y), ce(model.head("cm", e["c_m"][L]), y)], 1).argmin(1)
        lsel = ce(g[L], target).mean()
        loss = loss + s["selectorWeight"] * lsel
        stats["lsel"] = lsel.item()
    stats["loss"] = loss.item()
    return loss, stats, parts


def optimizer_for(cfg, model, fx):
    """Weight decay on every parameter but biases (section 1.6); the fixture names the decayed ones."""
    trainable = [n for n in fx["weights"] if model.w(n).requires_grad]
    decayed = [model.w(n) for n in trainable if n in fx["decay"]]
    plain = [model.w(n) for n in trainable if n not in fx["decay"]]
    groups = [{"params": decayed, "weight_decay": cfg["weightDecay"]}, {"params": plain, "weight_decay": 0}]
    if cfg["optimizer"] == "adamw":
        return torch.optim.AdamW(groups, lr=cfg["lr"], betas=(cfg["adamBeta1"], cfg["adamBeta2"]), eps=cfg["adamEpsilon"])
    return torch.optim.SGD(groups, lr=cfg["lr"], momentum=cfg["momentum"], nesterov=cfg["nesterov"])


def build(fx, model=None):
    cfg = fx["config"]
    model = model or Scdr(fx["weights"], fx["shapes"], cfg["scdr"]["selector"] == "frozen")
    ema = {n: p.detach().clone() for n, p in model.p.items()}
    return cfg, model, optimizer_for(cfg, model, fx), ema


def update(model, opt, ema, cfg, loss, lr):
    for group in opt.param_groups:
        group["lr"] = lr
    opt.zero_grad()
    loss.backward()
    if cfg.get("clipNorm", 0) > 0:
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], cfg["clipNorm"])
    opt.step()
    with torch.no_grad():
        for n, p in model.p.items():
            ema[n].mul_(cfg["emaDecay"]).add_(p.detach(), alpha=1 - cfg["emaDecay"])


def host_batches(fx):
    """The port's HostBatch records as tensors (rows of every part stacked; the labeled and unlabeled indices)."""
    dims = lambda b: b.get("dims", fx.get("dims"))
    return [
        dict(
            txt=torch.tensor(np.array(b["txt"], dtype=np.float32)).reshape(-1, dims(b)["txt"]),
            img=torch.tensor(np.array(b["img"], dtype=np.float32)).reshape(-1, dims(b)["img"]),
            y=torch.tensor(np.array(b["y"]), dtype=torch.long),
            labeled=torch.tensor(np.array(b["labeled"]), dtype=torch.long),
            unlabeled=torch.tensor(np.array(b["unlabeled"]), dtype=torch.long),
        )
        for b in fx["batches"]
    ]


def load_synced(model, fx, i):
    """With the fixture's `synced` (the port's weights before each step), step i starts from them;
    the optimiser's state stays this script's own."""
    if "synced" not in fx:
        return
    with torch.no_grad():
        for name, values in fx["synced"][i].items():
            model.w(name).copy_(torch.tensor(np.array(values, dtype=np.float32)).reshape(model.w(name).shape))


def both_ways(fx, run):
    """run(fx) free-running (its own weights from the initial ones) and, when the fixture has them,
    synced to the port's weights before every step: {"free": ..., "synced": ...}."""
    free = run({k: v for k, v in fx.items() if k != "synced"})
    return {"free": free, **({"synced": run(fx)} if "synced" in fx else {})}


def fixed_steps(fx, extras=None, after=None):
    """The port's batches, one SCDR step each (with a variant's extras); after(i, batch, parts, stats)
    runs once the update is applied (ULGM's bank, SPP-SCL's step 2). Every step's stats and ms."""
    cfg, model, opt, ema = build(fx)
    stats, times = [], []
    for i, b in enumerate(host_batches(fx)):
        load_synced(model, fx, i)
        t = time.perf_counter()
        loss, st, parts = step_loss(model, cfg, b, fx["epochs"][i], i, extras)
        update(model, opt, ema, cfg, loss, fx["lrs"][i])
        if after:
            after(i, b, parts, st, lambda second: update(model, opt, ema, cfg, second, fx["lrs"][i]))
        times.append((time.perf_counter() - t) * 1000)
        stats.append(st)
    return model, stats, times


def speed(fx):
    """The port's batches, one step each: ms per step and every step's loss terms."""
    _, stats, times = fixed_steps(fx)
    timed = sorted(times[fx["warmup"] :])
    return {"msPerStep": timed[len(timed) // 2], "stats": stats}


def views(v, dim):
    m = lambda a: torch.tensor(np.array(a, dtype=np.float32)).reshape(-1, dim)
    return {"clean": m(v["clean"]), "weak": [m(a) for a in v["weak"]], "strong": [m(a) for a in v["strong"]]}


def rows_of(v, rows, kind, gen):
    """Section 1.10 views on cached features: a random stored variant per row (clean when none)."""
    variants = [] if kind == "clean" else (v["strong"] or v["weak"]) if kind == "strong" else v["weak"]
    if not variants:
        return v["clean"][rows]
    pick = torch.randint(len(variants), (len(rows),), generator=gen)
    stacked = torch.stack([a[rows] for a in variants])
    return stacked[pick, torch.arange(len(rows))]


@torch.no_grad()
def predict(model, ema, txt, img):
    saved = {n: p.detach().clone() for n, p in model.p.items()}
    for n, p in model.p.items():
        p.copy_(ema[n])
    e = model.encode(txt, img)
    k = model.selector(torch.cat([e["s_t"], e["s_v"], e["c_m"]], 1)).argmax(1)
    logits = model.head("cm", model.attend(e["s_t"], e["s_v"], e["c_m"], k))
    for n, p in model.p.items():
        p.copy_(saved[n])
    return logits.argmax(1)


def train(fx):
    """A whole run on the port's cached features and initial weights, with this script's own batch
    draws (torch's generator, seeded): the accuracy and mask rates to set beside the port's."""
    cfg, model, opt, ema = build(fx)
    d = fx["data"]
    dims = fx["dims"]
    lab = {"txt": views(d["labeled"]["txt"], dims["txt"]), "img": views(d["labeled"]["img"], dims["img"])}
    unl = {"txt": views(d["unlabeled"]["txt"], dims["txt"]), "img": views(d["unlabeled"]["img"], dims["img"])}
    y_lab = torch.tensor(np.array(d["labeled"]["y"]), dtype=torch.long)
    split = lambda s: (torch.tensor(np.array(d[s]["txt"])).reshape(-1, dims["txt"]), torch.tensor(np.array(d[s]["img"])).reshape(-1, dims["img"]), torch.tensor(np.array(d[s]["y"]), dtype=torch.long))
    val, test = split("val"), split("test")
    gen = torch.Generator().manual_seed(int(cfg["seed"]))
    n_l, n_u = len(y_lab), unl["txt"]["clean"].shape[0]
    l, u, steps = cfg["batchLabeled"], cfg["batchUnlabeled"], cfg["steps"]
    per_epoch = cfg["stepsPerEpoch"] or -(-n_u // u)
    every = cfg["evalEvery"] or per_epoch
    s1 = cfg["scdr"]["s1View"] == "decoupling"
    best, curve, masks, started = None, [], [], time.perf_counter()
    for step in range(steps):
        lr = cfg["lr"] * (max(0.0, math.cos(math.pi * 7 / 16 * step / steps)) if cfg["schedule"] == "cosine" else 1.0)
        rl = torch.randint(n_l, (l,), generator=gen)
        ru = torch.randint(n_u, (u,), generator=gen)
        parts = lambda m: torch.cat([rows_of(lab[m], rl, "weak", gen), rows_of(unl[m], ru, "weak", gen), rows_of(unl[m], ru, "strong", gen)] + ([rows_of(unl[m], ru, "strong", gen)] if s1 else []))
        batch = {"txt": parts("txt"), "img": parts("img"), "y": y_lab[rl]}
        loss, st, _ = step_loss(model, cfg, batch, step // per_epoch, step)
        update(model, opt, ema, cfg, loss, lr)
        masks.append(st["maskM"])
        if (step + 1) % every == 0 or step + 1 == steps:
            acc = lambda s: float((predict(model, ema, s[0], s[1]) == s[2]).float().mean())
            point = {"step": step + 1, "val": acc(val), "test": acc(test)}
            curve.append(point)
            if best is None or point["val"] >= best["val"]:
                best = point
    tail = masks[-max(1, steps // 10):]
    return {"selected": best, "curve": curve, "maskM": sum(tail) / len(tail), "seconds": time.perf_counter() - started}


def main():
    fx = unpack(sys.argv[1])
    out = train(fx) if fx.get("mode") == "train" else speed(fx)
    print(json.dumps({**out, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
