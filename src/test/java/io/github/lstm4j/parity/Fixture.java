package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.io.RawTensor;
import io.github.lstm4j.io.Safetensors;
import io.github.lstm4j.io.SafetensorsContent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One PyTorch reference case (see ../shared/fixtures/README.md): its tensors by prefix, its
 * metadata and its parsed {@code config}.
 */
public final class Fixture {

    private final Path file;
    private final SafetensorsContent content;
    private final Map<String, Object> config;

    private Fixture(Path file, SafetensorsContent content, Map<String, Object> config) {
        this.file = file;
        this.content = content;
        this.config = config;
    }

    /** Reads a case file. */
    @SuppressWarnings("unchecked")
    public static Fixture read(Path file) throws IOException {
        SafetensorsContent c = Safetensors.read(file);
        String cfg = c.metadata().getOrDefault("config", "{}");
        return new Fixture(file, c, (Map<String, Object>) ConfigJson.parse(cfg));
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The metadata {@code kind}. */
    public String kind() {
        return content.metadata().get("kind");
    }

    /** The metadata {@code case}, or the file name. */
    public String name() {
        return content.metadata().getOrDefault("case", file.getFileName().toString());
    }

    /** The parsed config object. */
    public Map<String, Object> config() {
        return config;
    }

    /** An integer config value. */
    public int intConfig(String key) {
        Object v = config.get(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException(name() + ": config." + key + " missing or not a number: " + v);
        }
        return ((Number) v).intValue();
    }

    /** An integer config value, or {@code dflt} when absent or null. */
    public int intConfig(String key, int dflt) {
        Object v = config.get(key);
        return v instanceof Number ? ((Number) v).intValue() : dflt;
    }

    /** A boolean config value, or {@code dflt} when absent. */
    public boolean boolConfig(String key, boolean dflt) {
        Object v = config.get(key);
        return v instanceof Boolean ? (Boolean) v : dflt;
    }

    /** A string config value, or {@code dflt} when absent. */
    public String stringConfig(String key, String dflt) {
        Object v = config.get(key);
        return v instanceof String ? (String) v : dflt;
    }

    /** True when the file holds a tensor of this full name. */
    public boolean has(String key) {
        return content.tensors().containsKey(key);
    }

    /** The tensor of this full name as float32 ({@code input.x}, {@code grad.weight}). */
    public Tensor tensor(String key) {
        RawTensor raw = content.get(key);
        return Tensor.wrap(raw.toFloatArray(), raw.shape());
    }

    /** The tensor of this full name as longs (lengths). */
    public long[] longs(String key) {
        return content.get(key).toLongArray();
    }

    /** Every tensor whose name starts with {@code prefix + "."}, keyed by the rest of the name. */
    public Map<String, Tensor> withPrefix(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        String p = prefix + ".";
        for (String k : content.tensors().keySet()) {
            if (k.startsWith(p)) {
                out.put(k.substring(p.length()), tensor(k));
            }
        }
        return out;
    }

    /** Names (without prefix) of every tensor with the given prefix. */
    public List<String> names(String prefix) {
        return new ArrayList<>(withPrefix(prefix).keySet());
    }
}
