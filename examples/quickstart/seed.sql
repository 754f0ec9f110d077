-- The quick start's sample warehouse: 1,000 customers, created on first start.
CREATE TABLE customers AS
SELECT
  i AS id,
  'user' || i || '@example.com' AS email,
  (['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'])[1 + i % 8] AS first_name,
  (['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'])[1 + (i // 8) % 8] AS last_name,
  (['free', 'pro', 'enterprise'])[1 + i % 3] AS plan,
  round((i * 37) % 10000 / 7.0, 2)::DECIMAL(12, 2) AS lifetime_value,
  TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_days(i % 365) AS signed_up_at,
  i % 11 = 0 AS churned
FROM range(1, 1001) AS t(i);
