package io.concordat.config;

import io.concordat.crypto.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A whole cluster definition as read, before the rules have accepted it.
 *
 * @param replicas empty when the replicas list itself is missing or is not a list; otherwise one draft per
 *     entry, unreadable entries included, so that the replica count stays right
 * @param allowedClientKeys one entry per list element, empty where the key could not be decoded
 */
record DefinitionDraft(
        Optional<String> name,
        OptionalLong faultsTolerated,
        Optional<List<ReplicaDraft>> replicas,
        ProtocolDraft protocol,
        List<Optional<PublicKey>> allowedClientKeys) {

    DefinitionDraft {
        allowedClientKeys = List.copyOf(allowedClientKeys);
        replicas = replicas.map(List::copyOf);
    }
}
