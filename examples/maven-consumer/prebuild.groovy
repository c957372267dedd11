// Pre-build hook of maven-invoker-plugin (tck/pom.xml): the invoker copies this directory as it is, so drop a
// target/ left by a manual `mvn verify` here; verify.groovy must only ever see reports of this very build.
new File(basedir, 'target').deleteDir()
return true
