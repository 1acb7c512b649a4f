# %% [markdown]
"""Early stopping (6 points)
Lecture: §2.3 Regularization

Early stopping is one of the notes' regularization techniques: ending training before the
model starts to fit the noise of the training data limits its capacity to do so. The notes
give no rule for when to stop; ours is the one of `keras.callbacks.EarlyStopping`: watch the
validation loss after every epoch, end training once it has stopped improving, and keep the
weights of the best epoch. Epochs are numbered from 0, and the history holds at least one.
Going through the history in order, with best = the value of epoch 0 (epoch 0 always
improves):

    epoch e improves        if  loss_e < best - min_delta
                            (mode "max", for accuracies:  acc_e > best + min_delta)
    if it improves:          best = loss_e, best_epoch = e, wait = 0
    otherwise:               wait = wait + 1
    training stops at the end of the first epoch where wait reaches `patience`.

So with patience 2 training stops after the second epoch in a row without improvement, and
with patience 0 after the first one. An improvement smaller than min_delta, or of exactly
min_delta, does not count (and does not move best_epoch); with min_delta = 0 a repeated value
does not improve. If patience never runs out, training ends after the last epoch of the
history.

Implement `early_stopping(history, patience, min_delta, mode)` in plain Python or numpy.
`history` is a list of floats (one value per epoch), `patience` an int >= 0, `min_delta` a
float >= 0, `mode` "min" or "max". Return the tuple (stop_epoch, best_epoch) of ints: the
epoch after which training ends, and the epoch whose weights early stopping restores.

You may not use keras, tensorflow or dlcourse.training.
"""


# %%
def early_stopping(history, patience, min_delta=0.0, mode="min"):
    """Return (stop_epoch, best_epoch), both counted from 0."""
    # YOUR CODE HERE
    raise NotImplementedError()
