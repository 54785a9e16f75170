/* sandbox_net.c — the DUT's own network: loopback up, addresses judged local or not. */
#define _DEFAULT_SOURCE /* struct ifreq, IFF_UP */
#include "sandbox_net.h"
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stddef.h>
#include <sys/un.h>
#include <unistd.h>

int fb_sandbox_lo_up(void)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int e = 0;
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
        e = errno;
    else if (!(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags = (short)(ifr.ifr_flags | IFF_UP);
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
            e = errno;
    }
    close(s);
    return e;
}

bool fb_sandbox_net_family_ok(unsigned long family)
{
    return family == AF_INET || family == AF_INET6 || family == AF_UNIX;
}

bool fb_sandbox_net_local(const struct sockaddr_storage *ss, size_t len)
{
    if (len < sizeof(sa_family_t))
        return false;
    if (ss->ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    }
    if (ss->ss_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    if (ss->ss_family == AF_UNIX) {
        /* abstract: private to the DUT's network namespace. A named one is a file, and a link
         * in scratch can name any socket the read-only view shows (/dev/log): not local. */
        const struct sockaddr_un *u = (const struct sockaddr_un *)ss;
        size_t off = offsetof(struct sockaddr_un, sun_path);
        return len > off + 1 && u->sun_path[0] == '\0';
    }
    return false;
}
