package io.concordat.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** The protocol block as read, before the rules have accepted it; empty fields already have a problem. */
record ProtocolDraft(
        OptionalLong checkpointInterval,
        OptionalLong watermarkWindow,
        OptionalLong batchMaxRequests,
        OptionalLong batchMaxBytes,
        Optional<Duration> batchDelay,
        OptionalLong requestMaxBytes,
        OptionalLong pendingRequestsMax,
        Optional<Duration> tickInterval,
        Optional<Duration> viewChangeTimeout,
        Optional<Duration> statusInterval) {

    static ProtocolDraft of(ProtocolSettings settings) {
        return new ProtocolDraft(OptionalLong.of(settings.checkpointInterval()),
                OptionalLong.of(settings.watermarkWindow()), OptionalLong.of(settings.batchMaxRequests()),
                OptionalLong.of(settings.batchMaxBytes()), Optional.of(settings.batchDelay()),
                OptionalLong.of(settings.requestMaxBytes()), OptionalLong.of(settings.pendingRequestsMax()),
                Optional.of(settings.tickInterval()), Optional.of(settings.viewChangeTimeout()),
                Optional.of(settings.statusInterval()));
    }

    boolean isComplete() {
        return checkpointInterval.isPresent() && watermarkWindow.isPresent() && batchMaxRequests.isPresent()
                && batchMaxBytes.isPresent() && batchDelay.isPresent() && requestMaxBytes.isPresent()
                && pendingRequestsMax.isPresent() && tickInterval.isPresent() && viewChangeTimeout.isPresent()
                && statusInterval.isPresent();
    }

    /** Only after the rules found no problem: every field is present and in range. */
    ProtocolSettings toSettings() {
        return new ProtocolSettings((int) checkpointInterval.getAsLong(), (int) watermarkWindow.getAsLong(),
                (int) batchMaxRequests.getAsLong(), (int) batchMaxBytes.getAsLong(), batchDelay.orElseThrow(),
                (int) requestMaxBytes.getAsLong(), (int) pendingRequestsMax.getAsLong(), tickInterval.orElseThrow(),
                viewChangeTimeout.orElseThrow(), statusInterval.orElseThrow());
    }
}
