/* sandbox_net.h — the network a sandboxed DUT has: its own namespace with the loopback up, so a
 * firmware that talks to itself on 127.0.0.1 works while nothing leaves (docs/security.md). */
#ifndef FB_SANDBOX_NET_H
#define FB_SANDBOX_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* In the DUT's process, inside its new network namespace, before the filter and before it drops
 * its capabilities: brings "lo" up. Returns 0 or an errno (the DUT then has no loopback). */
int fb_sandbox_lo_up(void);
/* Whether a socket of this family may be made inside the namespace: IPv4, IPv6, Unix. */
bool fb_sandbox_net_family_ok(unsigned long family);
/* Whether an address (len bytes of ss, as the DUT passed it) stays inside the sandbox's network
 * namespace: a loopback address (127.0.0.0/8, ::1, ::ffff:127.x.x.x) or an abstract Unix socket.
 * A Unix socket named by a path is not (a link in scratch can name any socket in the view). */
bool fb_sandbox_net_local(const struct sockaddr_storage *ss, size_t len);

#endif
