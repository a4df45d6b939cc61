# Sourced by .ci/run: a PostgreSQL server for the store tests (tests/test_store*.py run the same
# functions against SQLite and this server). Installs Debian's postgresql when missing, starts
# the newest cluster, creates a role and a database, and exports RECOUPE_TEST_PG for pytest.
# Runs as root; the server itself runs as the postgres system user.
recoupe_pg_setup() {
  local user=recoupe password=recoupe db=recoupe_test version port
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "ci: installing postgresql" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
    pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
    pg_ctlcluster "$version" main start
  fi
  port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
  su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = '$user'\"" | grep -qx 1 ||
    su postgres -c "psql -p $port -qc \"CREATE ROLE $user LOGIN PASSWORD '$password'\""
  su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname = '$db'\"" | grep -qx 1 ||
    su postgres -c "createdb -p $port -O $user $db"
  export RECOUPE_TEST_PG="postgresql://$user:$password@127.0.0.1:$port/$db"
  echo "ci: PostgreSQL $version on port $port, RECOUPE_TEST_PG set" >&2
}
recoupe_pg_setup
