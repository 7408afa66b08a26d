// Counts script errors into the body's data-errors attribute, so a headless browser test can read them from the
// dumped DOM.
(function () {
    var body = document.body, count = 0, original = console.error;
    function record(message) {
        count++;
        body.setAttribute('data-errors', String(count));
        var text = (body.getAttribute('data-error-text') || '') + String(message).slice(0, 300) + '\n';
        body.setAttribute('data-error-text', text);
    }
    window.onerror = function (message) { record(message); };
    window.addEventListener('unhandledrejection', function (e) { record(e.reason); });
    // Anything the page tried to load despite being self-contained, which the CSP then blocked.
    document.addEventListener('securitypolicyviolation', function (e) { record('blocked by CSP: ' + e.blockedURI); });
    console.error = function () {
        record(Array.prototype.join.call(arguments, ' '));
        original.apply(console, arguments);
    };
})();
