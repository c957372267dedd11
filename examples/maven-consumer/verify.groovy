// Post-build check run by maven-invoker-plugin (tck/pom.xml) after `mvn verify` of this example.
// `basedir` is this project's directory. Both ways must have certified the device through the suites of the
// TCK jar: reports written, every test accounted for, nothing failed, the right target used.
import groovy.json.JsonSlurper

def check(boolean ok, String what) {
    if (!ok) {
        throw new AssertionError("maven-consumer example: " + what)
    }
}

def expectations = [
    'certify-by-uri'   : 'reference',   // way 1: virtio.target names the device
    'certify-my-device': 'mydevice',    // way 2: our own TargetProvider (scheme mydevice:)
]
def suites = ['BlockIoSuite', 'FeatureNegotiationSuite', 'StatusAndResetSuite', 'QueueSuite', 'HostileChainSuite']

expectations.each { execution, uri ->
    def dir = new File(basedir, "target/tck-reports/$execution")
    def runReport = new File(dir, 'run-report.json')
    check(runReport.isFile(), "$execution wrote no $runReport")
    def run = new JsonSlurper().parse(runReport)
    check(run.target.uri == uri, "$execution certified '${run.target.uri}', expected '$uri'")
    check(run.outcomes.size() >= 100, "$execution: only ${run.outcomes.size()} outcomes, the suites were not all found")
    def passed = run.outcomes.count { it.verdict == 'PASS' }
    check(passed >= 100, "$execution: only $passed PASS outcomes")
    def bad = run.outcomes.findAll { !(it.verdict in ['PASS', 'SKIP', 'WAIVED']) }
    check(bad.isEmpty(), "$execution: " + bad.collect { "${it.testId} ${it.verdict}" }.join(', '))
    check(run.verdictCounts.PASS == passed, "$execution: verdictCounts disagree with the outcomes")
    // The suites came from the dependency jar: their classes ran under their own names.
    suites.each { s ->
        check(run.outcomes.any { it.testId.startsWith("org.virtiotck.tck.suites.$s#") }, "$execution: $s did not run")
        check(new File(basedir, "target/surefire-reports/$execution/TEST-org.virtiotck.tck.suites.${s}.xml").isFile(),
              "$execution: no surefire report for $s")
    }
    def cert = new JsonSlurper().parse(new File(dir, 'certification.json'))
    check(cert.certified == true, "$execution: not certified: ${cert.summary}")
    ['junit.xml', 'report.html'].each { f -> check(new File(dir, f).isFile(), "$execution wrote no $f") }
    println "maven-consumer example: $execution: ${cert.summary}; ${passed} PASS of ${run.outcomes.size()}"
}
return true
