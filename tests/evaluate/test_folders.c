/* test_folders.c — the run-folder name an announced DUT name gives (eval_folders.c), by hand. */
#include <string.h>
#include "eval/evaluate.h"
#include "fbtest.h"

static void check_name(const char *announced, const char *want)
{
    char out[128];
    fb_eval_folder_name(announced, out, sizeof out);
    CHECK_STR_CONTAINS(out, want);
    CHECK_EQ_INT(strlen(out), strlen(want));
}

int main(void)
{
    check_name("feverbench-reference 0.1", "feverbench-reference_0.1"); /* the space */
    check_name("Acme Thermo/ST 2.3 (beta)", "Acme_Thermo_ST_2.3_beta"); /* runs of others: one _ */
    check_name("../../etc", "etc");              /* no way out of runs/, no hidden folder */
    check_name("-rf", "rf");                     /* not an option look-alike */
    check_name("__x__", "x");
    check_name("", "");
    check_name("/ : *", "");                     /* nothing left: the spec's name is kept */
    check_name(NULL, "");
    check_name("émetteur", "metteur");           /* bytes outside ASCII are dropped */
    char longname[200], out[128];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    fb_eval_folder_name(longname, out, sizeof out);
    CHECK_EQ_INT(strlen(out), 63);
    fb_eval_folder_name("abcdef", out, 4); /* a short buffer: truncated, terminated */
    CHECK(strcmp(out, "abc") == 0);
    return FBTEST_END();
}
