package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an optimizer from its name and PyTorch-style keyword arguments, for configuration-driven
 * code: {@code Optimizers.create("adam", params, Map.of("lr", 0.01, "betas", List.of(0.8, 0.95)))}
 * is {@code torch.optim.Adam(params, lr=0.01, betas=(0.8, 0.95))}.
 */
public final class Optimizers {

    private Optimizers() {
    }

    /**
     * The optimizer named {@code name} ({@code adam}, {@code adamw} or {@code sgd}, any case) over
     * {@code params}, with {@code kwargs} under PyTorch's names.
     *
     * @throws IllegalArgumentException for an unknown name, a keyword the optimizer does not take,
     *     or an invalid value
     */
    public static Optimizer create(String name, Iterable<? extends Tensor> params, Map<String, ?> kwargs) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "adam":
                return Adam.builder(params).setAll(kwargs).build();
            case "adamw":
                return AdamW.builder(params).setAll(kwargs).build();
            case "sgd":
                return SGD.builder(params).setAll(kwargs).build();
            default:
                throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: adam, adamw, sgd");
        }
    }
}
