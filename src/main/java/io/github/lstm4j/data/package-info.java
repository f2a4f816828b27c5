/**
 * Getting data into a model: {@link io.github.lstm4j.data.Dataset},
 * {@link io.github.lstm4j.data.TensorDataset} and a seeded, resumable
 * {@link io.github.lstm4j.data.DataLoader}; time-series helpers
 * ({@link io.github.lstm4j.data.SlidingWindow}, {@link io.github.lstm4j.data.TimeSplit}); scalers
 * fitted on training data ({@link io.github.lstm4j.data.MinMaxScaler},
 * {@link io.github.lstm4j.data.StandardScaler}); and a small numeric {@link io.github.lstm4j.data.Csv}
 * reader.
 *
 * <p>A typical one-step-ahead forecasting pipeline:
 * <pre>{@code
 * float[] series = Csv.read(Path.of("../shared/data/sunspots.csv")).column("SUNACTIVITY");
 * TimeSplit.Parts<float[]> parts = TimeSplit.counts(221, 0).split(series);
 * MinMaxScaler scaler = new MinMaxScaler().fit(parts.train());   // training part only
 * SlidingWindow.Pairs pairs = SlidingWindow.of(9).apply(scaler.transform(series));
 * // pairs whose target lies in the training years: the first 221 - 9 of them
 * TimeSplit.Parts<TensorDataset> sets = TimeSplit.counts(221 - 9, 0).split(pairs.dataset());
 * DataLoader loader = DataLoader.builder(sets.train()).batchSize(32).shuffle(new Generator(0)).build();
 * for (Tensor[] batch : loader) { Tensor x = batch[0], y = batch[1]; ... }
 * }</pre>
 */
package io.github.lstm4j.data;
