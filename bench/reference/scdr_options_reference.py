"""Two options of an SCDR run in PyTorch, for `npm run bench teacher-ref` and `npm run bench
scdr-spp-scl`, each on top of scdr_reference.py's step, from the port's initial weights and batches:

  * variant "teacher" (ALGORITHMS section 3): a frozen teacher's logits on the unlabeled posts; its
    probabilities filtered as section 3.3 states (argmax, ties to the lower class; keep iff
    p > threshold(c), strict; per-class 0.70/0.90/0.90, flat, or unfiltered), hard labels (or soft
    targets softmax(z / T)) teaching the student branch's head on the strong view s0 (SCDR's C_v(s_v);
    FixMatch's fusion MLP with the teacher's modality zeroed, model "fusion"):
    weight * T^2 * sum_i keep_i * CE(softmax(student_i / T), q_i) / B. Also the filter's decisions
    on the probabilities the fixture hands over (`filter`), for every filter mode.
  * variant "aux": SPP-SCL as an auxiliary loss (sections 2.3-2.4) on the labeled rows' projections
    x_t = P_t h, x_v = P_v h: factor * (SupCon(x_t) + SupCon(x_v)) joins the step's loss; after its
    update the projections are re-forwarded and step 2 (factor * SupCon(T -> I)) is taken only when
    the statement is false (count of sigmoid(x_t x_v^T) < mean diagonal vs floor(2M/3)).

Run free and synced to the port's weights before each step (scdr_reference.py `both_ways`).

Usage: python3 scdr_options_reference.py FIXTURE  ->  one JSON line {"free", "synced", "filter", "torch"}
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, __import__("os").path.dirname(__file__))
from scdr_reference import Named, both_ways, build, ce, fixed_steps, host_batches, load_synced, unpack, update  # noqa: E402
from spp_scl_reference import sup_con_inter, sup_con_intra  # noqa: E402

torch.set_num_threads(2)


def teacher_filter(probs, settings):
    """Section 3.3: c = argmax (first maximum: negative, then neutral, then positive), keep iff p > threshold(c)."""
    p, c = probs.max(1)
    per_class = torch.tensor([settings["negative"], settings["neutral"], settings["positive"]], dtype=probs.dtype)
    mode = settings["filter"]
    threshold = per_class[c] if mode == "per-class" else torch.full_like(p, settings["flat"] if mode == "flat" else -math.inf)
    return c, (p > threshold).float()


def teacher_terms(fx):
    t = fx["teacher"]
    s = t["settings"]
    logits = torch.tensor(np.array(t["logits"], dtype=np.float32)).reshape(-1, 3).double()
    soft = s["targets"] == "soft"
    temperature = s["temperature"] if soft else 1.0

    def terms(p):
        rows = p["batch"]["unlabeled"]
        z = logits[rows]
        c, keep = teacher_filter(torch.softmax(z, 1), s)
        q = torch.softmax(z / temperature, 1).float() if soft else F.one_hot(c, 3).float()
        student = (p["pre_v"] if t["student"] == "image" else p["pre_t"])[p["S0"]]
        per_post = -(q * F.log_softmax(student / temperature, -1)).sum(1)
        loss = s["weight"] * temperature**2 * (per_post * keep.float()).sum() / len(rows)
        return [(loss, {"lteacher": loss.item(), "teacherMask": keep.mean().item()})]

    return terms


def fixmatch_steps(fx, terms):
    """FixMatch (USB, section 1.13) on the concat fusion MLP, ReLU(x W1 + b1) W2 + b2 over [x_t; x_v]:
    hard pseudo-labels from the weak view where max p >= threshold, CE on the strong view s0, divided
    by the batch; the teacher's student pass is the MLP on s0 with the teacher's modality zeroed
    (standardised features: 0 is the pool's mean)."""
    cfg, model, opt, ema = build(fx, Named(fx["weights"], fx["shapes"]))
    w = model.w
    mlp = lambda t, v: F.relu(torch.cat([t, v], 1) @ w("w1") + w("b1")) @ w("w2") + w("b2")  # noqa: E731
    stats = []
    for i, b in enumerate(host_batches(fx)):
        load_synced(model, fx, i)
        l, u = len(b["y"]), len(b["unlabeled"])
        L, W, S0 = slice(0, l), slice(l, l + u), slice(l + u, l + 2 * u)
        txt, img = b["txt"], b["img"]
        with torch.no_grad():
            score, pseudo = torch.softmax(mlp(txt[W], img[W]), -1).max(1)
            mask = (score >= torch.tensor(cfg["threshold"], dtype=torch.float32)).float()
        lx = ce(mlp(txt[L], img[L]), b["y"]).mean()
        lu = (ce(mlp(txt[S0], img[S0]), pseudo) * mask).sum() / u
        image_student = fx["teacher"]["student"] == "image"
        student = mlp(torch.zeros_like(txt[S0]), img[S0]) if image_student else mlp(txt[S0], torch.zeros_like(img[S0]))
        loss = lx + cfg["lambdaU"] * lu
        st = {"lx": lx.item(), "lu": lu.item(), "maskM": mask.mean().item()}
        for add, extra in terms({"batch": b, "S0": slice(0, u), "pre_v": student, "pre_t": student}):
            loss = loss + add
            st.update(extra)
        update(model, opt, ema, cfg, loss, fx["lrs"][i])
        stats.append({**st, "loss": loss.item()})
    return model, stats, []


def filter_decisions(fx):
    """Every filter mode's keep decisions on the fixture's probabilities (rows x 3, float64)."""
    probs = torch.tensor(np.array(fx["filter"]["probs"], dtype=np.float64)).reshape(-1, 3)
    out = {}
    for mode in ("per-class", "flat", "off"):
        c, keep = teacher_filter(probs, {**fx["teacher"]["settings"], "filter": mode})
        out[mode] = {"label": c.tolist(), "keep": keep.int().tolist()}
    return out


def aux_hooks(fx):
    cfg = fx["config"]
    s, factor = cfg["sppScl"], cfg["scdr"]["sppSclWeight"]
    tau = s["temperature"]

    def terms(p):
        L, e, y = p["L"], p["e"], p["batch"]["y"]
        lt, li = sup_con_intra(e["x_t"][L], y, tau), sup_con_intra(e["x_v"][L], y, tau)
        return [(factor * (s["textWeight"] * lt + s["imageWeight"] * li), {"sclText": lt.item(), "sclImage": li.item()})]

    def after(i, b, p, st, second):
        w, l, y = p["model"].w, len(b["y"]), b["y"]
        x_t, x_v = b["txt"][:l] @ w("pt"), b["img"][:l] @ w("pv")
        sim = torch.sigmoid(x_t @ x_v.T).detach()
        count = int((sim < torch.diagonal(sim).mean()).sum())
        m = int((y[:, None] == y[None, :]).sum())
        if count >= math.floor(2 * m / 3):
            st["interStep"] = 0
            return
        inter = sup_con_inter(x_t, x_v, y, tau)
        loss = factor * s["interWeight"] * inter
        second(loss)
        st.update({"interStep": 1, "sclInter": inter.item(), "loss": st["loss"] + loss.item()})

    return terms, after


def main(path):
    fx = unpack(path)

    def run(f):
        if f["variant"] == "teacher" and f["model"] == "fusion":
            return {"stats": fixmatch_steps(f, teacher_terms(f))[1]}
        if f["variant"] == "teacher":
            return {"stats": fixed_steps(f, {"terms": teacher_terms(f)})[1]}
        terms, after = aux_hooks(f)
        return {"stats": fixed_steps(f, {"terms": terms}, after)[1]}

    out = both_ways(fx, run)
    if fx["variant"] == "teacher":
        out["filter"] = filter_decisions(fx)
    print(json.dumps({**out, "torch": torch.__version__}))


if __name__ == "__main__":
    main(sys.argv[1])
