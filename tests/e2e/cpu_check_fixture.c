/* Test fixture: the start-up CPU check (common/src/cpu_check.c, compiled into this program with
 * PK_CPU_CHECK_TESTING) in front of a main that only says it ran. With PARKIT_TEST_CPU_LACKS=name
 * the check treats that instruction set as missing, which exercises the failure path on a CPU
 * that has everything the build asked for. */
#include <stdio.h>

int main(void)
{
    puts("cpu_check_fixture: main ran");
    return 0;
}
