# %% [markdown]
"""Hyperband brackets (5 points)
Lecture: §2.5 Hyperparameter Tuning

The notes' Hyperband combines random search with early stopping, so that the training budget
goes to the promising configurations. The notes give no algorithm; beyond the notes, it is the
one of Li et al. (JMLR 2018, Algorithm 1): successive halving run in several brackets. With a
maximum resource R per configuration (e.g. epochs) and a halving rate eta (an integer >= 2):

    s_max = floor(log_eta(R)),    B = (s_max + 1) R

    for s = s_max, s_max - 1, ..., 0:                      (one bracket per s)
        n = ceil( (B / R) * eta^s / (s + 1) ),   r = R * eta^(-s)
        for i = 0, 1, ..., s:                             (the rungs of successive halving)
            n_i = floor( n * eta^(-i) ),    r_i = r * eta^i

Bracket s starts n configurations with resource r each and keeps the best 1/eta at every rung.
For R = 81, eta = 3 the schedule is Table 1 of the paper:

    s = 4: (81, 1) (27, 3) (9, 9) (3, 27) (1, 81)
    s = 3: (34, 3) (11, 9) (3, 27) (1, 81)
    s = 2: (15, 9) (5, 27) (1, 81)
    s = 1: (8, 27) (2, 81)
    s = 0: (5, 81)

Implement `hyperband_brackets(R, eta=3)` returning a dict that maps every s (from s_max down to
0) to the list of its rungs [(n_0, r_0), ..., (n_s, r_s)]. n_i are integers; r_i are numbers
(R need not be a power of eta, then r_i are fractions of R). Careful: floating-point logarithms
are not exact (math.log(243, 3) is 4.999...), compute s_max so that eta^s_max <= R < eta^(s_max+1)
holds exactly. Raise ValueError when R < 1 or eta is not an integer >= 2.

You may not use dlcourse.training (its `hyperband_brackets` is the answer) or keras_tuner.
"""

# %%
def hyperband_brackets(R, eta=3):
    """Return {s: [(n_i, r_i) for i in 0..s]} for s = s_max, ..., 0."""
    ### BEGIN SOLUTION
    if R < 1:
        raise ValueError(f"R must be >= 1, got {R!r}.")
    if not isinstance(eta, int) or eta < 2:
        raise ValueError(f"eta must be an integer >= 2, got {eta!r}.")
    s_max = 0
    while eta ** (s_max + 1) <= R:
        s_max += 1
    schedule = {}
    for s in range(s_max, -1, -1):
        # B / R = s_max + 1, so n = ceil((s_max + 1) eta^s / (s + 1)) in exact integers.
        n = -(-(s_max + 1) * eta**s // (s + 1))
        r = R / eta**s
        schedule[s] = [(n // eta**i, r * eta**i) for i in range(s + 1)]
    return schedule
    ### END SOLUTION
