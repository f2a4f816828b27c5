/**
 * Optimizers, gradient clipping and learning-rate schedulers with PyTorch's semantics and numbers:
 * {@link io.github.lstm4j.optim.Adam}, {@link io.github.lstm4j.optim.AdamW},
 * {@link io.github.lstm4j.optim.SGD} (on {@link io.github.lstm4j.optim.Optimizer} with
 * {@link io.github.lstm4j.optim.ParamGroup}s), {@link io.github.lstm4j.optim.ClipGrad},
 * {@link io.github.lstm4j.optim.StepLR}, {@link io.github.lstm4j.optim.ExponentialLR},
 * {@link io.github.lstm4j.optim.CosineAnnealingLR} and
 * {@link io.github.lstm4j.optim.ReduceLROnPlateau}. Their saved state is a
 * {@link io.github.lstm4j.optim.StateDict}: tensors plus exact strings, ready for a safetensors file.
 *
 * <p>Everything here stands on the public {@code Tensor} API (in-place methods under
 * {@code noGrad}); nothing reads raw arrays.
 */
package io.github.lstm4j.optim;
