package io.github.lstm4j.train;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what the train package logs, so that tests can read it and nothing reaches the console.
 * {@link #start()} in {@code @BeforeEach}, {@link #stop()} in {@code @AfterEach}.
 */
final class TrainLogs {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.github.lstm4j.train");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level oldLevel;
    private boolean oldAdditive;

    void start() {
        oldLevel = logger.getLevel();
        oldAdditive = logger.isAdditive();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    void stop() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(oldLevel);
        logger.setAdditive(oldAdditive);
    }

    /** The formatted INFO-and-above messages so far. */
    List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    /** The progress lines ({@code Epoch [k/N] ...}). */
    List<String> progressLines() {
        return messages().stream().filter(m -> m.startsWith("Epoch [")).collect(Collectors.toList());
    }
}
