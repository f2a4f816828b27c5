package io.github.lstm4j;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The PyTorch reference cases this project generates itself, beyond the shared fixtures: one
 * dynamic test per {@code *.safetensors} file in {@code src/test/resources/pytorch-extra}
 * (written by {@code make_losses.py} there: L1, Huber, smooth L1, cross-entropy and
 * BCE-with-logits losses, and Embedding), dispatched on the metadata {@code kind} exactly as
 * {@link PyTorchParityTest} does; an unknown kind fails.
 */
class PyTorchExtraParityTest {

    static Path extraDir() {
        String project = System.getProperty("lstm4j.projectDir", ".");
        return Paths.get(project, "src", "test", "resources", "pytorch-extra");
    }

    @TestFactory
    Stream<DynamicTest> everyExtraCaseMatchesPyTorch() throws IOException {
        return PyTorchParityTest.casesIn(extraDir(), "run /usr/bin/python3 make_losses.py there");
    }
}
