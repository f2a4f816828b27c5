/**
 * Training runs: {@link io.github.lstm4j.train.Trainer}, a fit loop with validation, early
 * stopping, callbacks, logging and checkpoints that adds nothing hidden to the hand-written loop,
 * and {@link io.github.lstm4j.train.Checkpoint}, one atomically written safetensors file from
 * which a run continues bit for bit.
 *
 * <p>The hand-written loop stays the first way to train (see {@code docs/training.md}):
 * <pre>{@code
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     model.train();
 *     Tensor outputs = model.forward(x);
 *     optimizer.zeroGrad();
 *     Tensor loss = criterion.forward(outputs, y);
 *     loss.backward();
 *     optimizer.step();
 * }
 * }</pre>
 */
package io.github.lstm4j.train;
