package io.github.lstm4j.parity;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Embedding;
import io.github.lstm4j.nn.Module;
import java.util.Map;

/**
 * Kind {@code embedding}: {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx)} with
 * {@code param.weight} on indices {@code input.indices} (I64); output {@code y}, gradient
 * {@code grad.weight}.
 */
final class EmbeddingCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        int num = f.intConfig("num_embeddings");
        int dim = f.intConfig("embedding_dim");
        Object padding = f.config().get("padding_idx");
        Generator gen = new Generator(0);
        return padding == null ? new Embedding(num, dim, gen)
            : new Embedding(num, dim, ((Number) padding).intValue(), gen);
    }

    @Override
    protected boolean differentiable(String inputName) {
        return !inputName.equals("indices");
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("y", ((Embedding) module).forward(inputs.get("indices")));
    }
}
