using System.Reflection;
using CamAssert.Golden;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CamAssertXunit;

/// <summary>
/// xunit's own test framework, which also reports each running test case (its display name and its
/// theory arguments) to <see cref="RunningTest"/>, so that <c>MatchGolden()</c> in a theory names each
/// row's golden file after its arguments. The package's build file applies it with
/// <c>[assembly: TestFramework("CamAssertXunit.CamAssertTestFramework", "CamAssert.Xunit")]</c>.
/// </summary>
public sealed class CamAssertTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    /// <inheritdoc/>
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName name, ISourceInformationProvider sources, IMessageSink diagnostics)
        : XunitTestFrameworkExecutor(name, sources, diagnostics)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly assembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics, IMessageSink execution, ITestFrameworkExecutionOptions options)
        : XunitTestAssemblyRunner(assembly, testCases, diagnostics, execution, options)
    {
        protected override Task<RunSummary> RunTestCollectionAsync(IMessageBus bus, ITestCollection collection, IEnumerable<IXunitTestCase> testCases, CancellationTokenSource cancellation) =>
            new CollectionRunner(collection, testCases, DiagnosticMessageSink, bus, TestCaseOrderer, new ExceptionAggregator(Aggregator), cancellation).RunAsync();
    }

    private sealed class CollectionRunner(ITestCollection collection, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics, IMessageBus bus,
        ITestCaseOrderer orderer, ExceptionAggregator aggregator, CancellationTokenSource cancellation)
        : XunitTestCollectionRunner(collection, testCases, diagnostics, bus, orderer, aggregator, cancellation)
    {
        protected override Task<RunSummary> RunTestClassAsync(ITestClass testClass, IReflectionTypeInfo @class, IEnumerable<IXunitTestCase> testCases) =>
            new ClassRunner(testClass, @class, testCases, DiagnosticMessageSink, MessageBus, TestCaseOrderer, new ExceptionAggregator(Aggregator), CancellationTokenSource, CollectionFixtureMappings).RunAsync();
    }

    private sealed class ClassRunner(ITestClass testClass, IReflectionTypeInfo @class, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics, IMessageBus bus,
        ITestCaseOrderer orderer, ExceptionAggregator aggregator, CancellationTokenSource cancellation, IDictionary<Type, object> collectionFixtures)
        : XunitTestClassRunner(testClass, @class, testCases, diagnostics, bus, orderer, aggregator, cancellation, collectionFixtures)
    {
        protected override Task<RunSummary> RunTestMethodAsync(ITestMethod testMethod, IReflectionMethodInfo method, IEnumerable<IXunitTestCase> testCases, object[] constructorArguments) =>
            new MethodRunner(testMethod, Class, method, testCases, DiagnosticMessageSink, MessageBus, new ExceptionAggregator(Aggregator), CancellationTokenSource, constructorArguments).RunAsync();
    }

    private sealed class MethodRunner(ITestMethod testMethod, IReflectionTypeInfo @class, IReflectionMethodInfo method, IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnostics, IMessageBus bus, ExceptionAggregator aggregator, CancellationTokenSource cancellation, object[] constructorArguments)
        : XunitTestMethodRunner(testMethod, @class, method, testCases, diagnostics, bus, aggregator, cancellation, constructorArguments)
    {
        protected override async Task<RunSummary> RunTestCaseAsync(IXunitTestCase testCase)
        {
            // Rows enumerated at discovery carry their arguments; a theory whose data could not be
            // enumerated runs all rows in one case, and its golden files must be named by hand.
            var parameters = testCase.TestMethod.Method.GetParameters().Select(p => p.Name).ToArray();
            var arguments = testCase.TestMethodArguments is { } values && values.Length == parameters.Length
                ? parameters.Select((name, i) => new KeyValuePair<string, object?>(name, values[i])).ToArray()
                : null;
            using (RunningTest.Enter(testCase.DisplayName, testCase.TestMethod.Method.Name, arguments))
                return await base.RunTestCaseAsync(testCase);
        }
    }
}
