/**
 * The baseline sequence models of the SLiCE and selective-SSM papers (SPEC §2.1–2.9), written once over
 * {@link org.lincde.spi.TensorOps} so every backend runs them: R1's LSTM, causal RoPE Transformer and
 * Mamba stack; R2's {@code SequenceModel} wrapper around S6, S4D, a tanh RNN or a post-norm encoder
 * layer; R3's S6/Mamba, LRU and S5 classifiers.
 *
 * <p>Every diagonal linear recurrence (S6, S4D, LRU, S5) is evaluated either by a recurrent loop or by
 * a Hillis–Steele associative scan ({@link org.lincde.spi.model.baseline.DiagonalRecurrence}), chosen by
 * {@link org.lincde.spi.ForwardMode#evaluation()}; both give the same states. Parameter names are the
 * authors' state-dict keys (PyTorch) or Equinox field paths (JAX), documented on each graph class.
 * Randomness comes only from the {@link org.lincde.spi.Rng} passed in: one named stream per parameter
 * ({@code rng.stream(fullName)}), dropout masks from {@code mode.dropout()} sub-streams.
 */
package org.lincde.spi.model.baseline;
